/**
 * Driving the app by keyboard alone: Tab / Shift+Tab to a control (failing if it is not reached
 * within a bound: an unreachable control or a focus trap), arrow keys within a radio group, and
 * checks on what has the focus. Nothing here clicks; locators only find elements and read state.
 */
import type { Locator, Page } from 'playwright-core';

/** How many Tab presses a control may be away before it counts as unreachable. */
const TAB_LIMIT = 80;

async function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement).catch(() => false);
}

async function holdsFocus(container: Locator): Promise<boolean> {
  return container.evaluate((el) => el.contains(document.activeElement)).catch(() => false);
}

/** What has the focus, for failure messages: tag, role, name. */
export async function focusedDescription(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '(nothing)';
    const name = el.getAttribute('aria-label') ?? (el as HTMLElement).innerText?.slice(0, 60) ?? '';
    return `<${el.tagName.toLowerCase()}${el.getAttribute('role') ? ` role=${el.getAttribute('role')}` : ''}> ${name.replace(/\s+/gu, ' ').trim()}`;
  });
}

/** Press Tab (Shift+Tab when backwards) until `target` has the focus; throws when it never does. */
export async function tabTo(page: Page, target: Locator, options: { backwards?: boolean; limit?: number; into?: boolean } = {}): Promise<number> {
  await target.waitFor({ state: 'visible' });
  const key = options.backwards ? 'Shift+Tab' : 'Tab';
  const seen: string[] = [];
  for (let presses = 0; presses <= (options.limit ?? TAB_LIMIT); presses += 1) {
    if (options.into ? await holdsFocus(target) : await hasFocus(target)) return presses;
    await page.keyboard.press(key);
    if (seen.length < 200) seen.push(await focusedDescription(page));
  }
  throw new Error(`${key} never reached ${target.toString()}; focus went: ${seen.join(' | ')}`);
}

/**
 * Tab into the group's radios, then arrow down until `radio` is checked (arrows select in a radio
 * group; Space checks the focused one when none is). Checking it may open a new step that takes
 * the focus, so a checked radio is enough.
 */
export async function chooseRadio(page: Page, group: Locator, radio: Locator): Promise<void> {
  await tabTo(page, group, { into: true });
  for (let presses = 0; presses <= 20; presses += 1) {
    if (await radio.isChecked()) return;
    if (await hasFocus(radio)) {
      await page.keyboard.press('Space');
      continue;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`Arrow keys never checked ${radio.toString()}; focus is on ${await focusedDescription(page)}`);
}

/** The focused element is a heading whose text is `title` (a new step moved the focus to its heading). */
export async function focusedHeading(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el && /^H[1-6]$/u.test(el.tagName) ? (el.textContent ?? '').trim() : null;
  });
}

/** The focused element draws a visible focus indicator (an outline or a box-shadow ring). */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || (style.boxShadow !== 'none' && style.boxShadow !== '');
  });
}
