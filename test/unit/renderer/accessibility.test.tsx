// @vitest-environment jsdom
/**
 * Accessibility in the renderer (issue #19.3): a new step takes the focus on its heading (and a step
 * in a hidden section leaves it alone); status is text plus an icon, never colour alone: status
 * badges carry words and an icon, every Alert without its own icon gets its tone's icon class, and
 * no Badge or Text in the renderer takes a status colour without going through the status components.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Alert } from '@mantine/core';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MediumBundlePicker } from '../../../renderer/src/components/MediumBundlePicker.js';
import { PolicyFindings } from '../../../renderer/src/components/PolicyFindings.js';
import { StatusBadge, StatusText, type StatusTone } from '../../../renderer/src/components/StatusIcon.js';
import { StepHeader } from '../../../renderer/src/components/StepHeader.js';
import type { PolicySummary } from '../../../shared/results.js';
import { mediumBundles, usbStick } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const RENDERER = join(import.meta.dirname, '..', '..', '..', 'renderer', 'src');

function statusElementsWithoutTextOrIcon(root: ParentNode): string[] {
  return [...root.querySelectorAll('[data-status-tone]')]
    .filter((el) => !(el.textContent ?? '').trim() || el.querySelector('[data-status-icon]') === null)
    .map((el) => el.outerHTML.slice(0, 120));
}

describe('focus moves to each new step’s heading', () => {
  it('focuses the heading on mount and again when the step or its title changes', () => {
    let show: (next: { step: number; title: string }) => void = () => undefined;
    function Steps() {
      const [shown, setShown] = useState({ step: 1, title: 'Choose the bundle' });
      show = setShown;
      return <StepHeader flow="Verify" step={shown.step} of={3} title={shown.title} happens="x" />;
    }
    renderWithApi(<Steps />, fakeApi({}));
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Choose the bundle' }));
    (document.activeElement as HTMLElement).blur();
    act(() => show({ step: 3, title: 'Bundle rejected' }));
    const heading = screen.getByRole('heading', { level: 2, name: 'Bundle rejected' });
    expect(heading.getAttribute('tabindex')).toBe('-1');
    expect(document.activeElement).toBe(heading);
  });

  it('leaves the focus alone for a step in a hidden section', () => {
    const fake = fakeApi({});
    renderWithApi(
      <section hidden>
        <StepHeader flow="Import" step={1} of={6} title="Insert a medium" happens="x" />
      </section>,
      fake,
    );
    expect(document.activeElement).toBe(document.body);
  });
});

describe('the focus is not lost when a list refreshes', () => {
  it('keeps the focus on a bundle of a medium listed again because its free space moved', async () => {
    let free = 1_000_000;
    const fake = fakeApi({
      listMedia: () => ({ media: [{ ...usbStick, free: (free += 4096) }] }),
      listMediumBundles: () => ({ medium: usbStick, bundles: mediumBundles, leftovers: 0, truncated: false }),
    });
    renderWithApi(<MediumBundlePicker bundlePath={null} onChange={() => undefined} pollMs={20} />, fake);
    const radio = await screen.findByRole('radio', { name: 'scans' });
    radio.focus();
    const listedBefore = fake.callsTo('listMediumBundles').length;
    await waitFor(() => expect(fake.callsTo('listMediumBundles').length).toBeGreaterThan(listedBefore + 2));
    expect(radio.isConnected).toBe(true);
    expect(document.activeElement).toBe(radio);
  });
});

describe('status is text plus icon, never colour alone', () => {
  it('every tone of StatusBadge and StatusText shows its words and its own icon', () => {
    const tones: StatusTone[] = ['pass', 'fail', 'warn', 'quarantine', 'info', 'running', 'neutral'];
    const { container } = renderWithApi(
      <div>
        {tones.map((tone) => (
          <div key={tone}>
            <StatusBadge tone={tone}>{`badge ${tone}`}</StatusBadge>
            <StatusText tone={tone}>{`text ${tone}`}</StatusText>
          </div>
        ))}
      </div>,
      fakeApi({}),
    );
    expect(container.querySelectorAll('[data-status-tone]')).toHaveLength(tones.length * 2);
    expect(statusElementsWithoutTextOrIcon(container)).toEqual([]);
    const shapes = tones.map((tone) => container.querySelector(`[data-status-icon="${tone}"]`)?.innerHTML);
    expect(new Set(shapes).size).toBe(tones.length);
    // The icon is decoration: the words say it to a screen reader.
    expect([...container.querySelectorAll('[data-status-icon]')].every((icon) => icon.getAttribute('aria-hidden') === 'true')).toBe(true);
  });

  it('policy findings: pass, fail and not checked each in words with an icon', () => {
    const policy = {
      findings: [
        { check: 'trusted-signer', outcome: 'pass', rule: 'r', detail: 'd' },
        { check: 'replay', outcome: 'fail', code: 'REPLAY', rule: 'r', detail: 'd', refusedBy: 'import' },
        { check: 'limit-files', outcome: 'not-checked', rule: 'r', detail: 'd' },
      ],
    } as unknown as PolicySummary;
    const { container } = renderWithApi(<PolicyFindings policy={policy} context="verify" />, fakeApi({}));
    const badges = [...container.querySelectorAll('[data-status-tone]')];
    expect(badges.map((b) => [b.getAttribute('data-status-tone'), b.textContent])).toEqual([
      ['pass', 'Pass'],
      ['fail', 'Fail'],
      ['neutral', 'Not checked'],
    ]);
    expect(statusElementsWithoutTextOrIcon(container)).toEqual([]);
  });

  it('an Alert without an icon of its own gets its tone’s icon; one with an icon keeps it alone', () => {
    const { container } = renderWithApi(
      <div>
        <Alert color="green" title="Verified" data-testid="ok" />
        <Alert color="red" title="Rejected" data-testid="bad" />
        <Alert color="yellow" title="Good to know" data-testid="warn" />
        <Alert title="Plain" data-testid="info" />
        <Alert color="orange" title="Kept" icon={<span aria-hidden="true">⚠</span>} data-testid="own" />
      </div>,
      fakeApi({}),
    );
    const wrapperOf = (id: string) => container.querySelector(`[data-testid="${id}"] .mantine-Alert-wrapper`)?.className ?? '';
    expect(wrapperOf('ok')).toContain('airlock-tone-pass');
    expect(wrapperOf('bad')).toContain('airlock-tone-fail');
    expect(wrapperOf('warn')).toContain('airlock-tone-warn');
    expect(wrapperOf('info')).toContain('airlock-tone-info');
    expect(wrapperOf('own')).not.toContain('airlock-alert-wrapper');
  });

  it('no Badge or Text in the renderer is coloured by status outside the status components', async () => {
    const offenders: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.name.endsWith('.tsx') && entry.name !== 'StatusIcon.tsx') {
          const source = await readFile(path, 'utf8');
          for (const match of source.matchAll(/<(Badge|Text)\b[^>]*\b(?:color|c)=["{'`]*(?:green|red|yellow|orange)[^>]*>/gu)) {
            // An aria-hidden glyph beside words is an icon, which is what is wanted.
            if (match[0].includes('aria-hidden="true"')) continue;
            offenders.push(`${path.slice(RENDERER.length + 1)}: ${match[0].slice(0, 100)}`);
          }
        }
      }
    };
    await walk(RENDERER);
    expect(offenders).toEqual([]);
  });
});
