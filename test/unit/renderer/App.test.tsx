/** The placeholder page: says what is coming and where the working CLI is. */
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../renderer/src/App.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('renderer placeholder', () => {
  it('points at the CLI and shows the version from the preload', () => {
    vi.stubGlobal('window', { airlock: { version: '9.8.7' } });
    const html = renderToStaticMarkup(<App />);
    expect(html).toContain('<h1>Airlock</h1>');
    expect(html).toContain('npx airlock --help');
    expect(html).toContain('Version 9.8.7');
  });

  it('renders without the preload (page opened outside Electron)', () => {
    vi.stubGlobal('window', {});
    expect(renderToStaticMarkup(<App />)).not.toContain('Version');
  });
});
