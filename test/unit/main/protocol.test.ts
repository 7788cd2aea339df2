/** The app:// protocol serves the built renderer and nothing else (SECURITY-NOTES, Electron). */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_INDEX_URL, CONTENT_SECURITY_POLICY, resolveAppPath, serveAppRequest } from '../../../electron/main/protocol.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let base: string;
let rendererDir: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-protocol-'));
  rendererDir = join(base, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Airlock</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(base, 'secret.txt'), 'outside the renderer dir');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('resolveAppPath', () => {
  it('maps our origin to files under the renderer dir', () => {
    expect(resolveAppPath(rendererDir, APP_INDEX_URL)).toBe(join(rendererDir, 'index.html'));
    expect(resolveAppPath(rendererDir, 'app://airlock/')).toBe(join(rendererDir, 'index.html'));
    expect(resolveAppPath(rendererDir, 'app://airlock/assets/app.js?v=1#x')).toBe(join(rendererDir, 'assets', 'app.js'));
  });

  // The URL parser already folds literal and %2e dot segments back to the root.
  it.each([
    'app://airlock/../secret.txt',
    'app://airlock/%2e%2e/secret.txt',
    'app://airlock/assets/%2e%2e/%2e%2e/secret.txt',
    'app://airlock/assets/../../../secret.txt',
  ])('keeps %s inside the renderer dir', (url) => {
    expect(resolveAppPath(rendererDir, url)).toBe(join(rendererDir, 'secret.txt'));
  });

  it.each([
    'app://airlock/..%2fsecret.txt',
    'app://airlock/assets%2f..%2f..%2fsecret.txt',
    'app://airlock/..%5csecret.txt',
    'app://airlock/%2fetc%2fpasswd',
    'app://airlock//etc/passwd',
    'app://airlock/index.html%00.js',
    'app://airlock/%E0%A4%A',
    'app://other-host/index.html',
    'app://user:pw@airlock/index.html',
    'file:///etc/passwd',
    'https://airlock/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(rendererDir, url)).toBeNull();
  });
});

describe('serveAppRequest', () => {
  it('serves a file with its type and the strict CSP', async () => {
    const res = await serveAppRequest(rendererDir, new Request('app://airlock/assets/app.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).toBe('console.log(1)');
  });

  it('answers 403 for traversal, 404 for a missing file, 405 for other methods', async () => {
    expect((await serveAppRequest(rendererDir, new Request('app://airlock/..%2fsecret.txt'))).status).toBe(403);
    const folded = await serveAppRequest(rendererDir, new Request('app://airlock/%2e%2e/secret.txt'));
    expect(folded.status).toBe(404);
    expect(await folded.text()).not.toContain('outside the renderer dir');
    expect((await serveAppRequest(rendererDir, new Request('app://airlock/missing.js'))).status).toBe(404);
    expect((await serveAppRequest(rendererDir, new Request(APP_INDEX_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('renderer/index.html', () => {
  it('carries the same strict CSP as the protocol header', async () => {
    const html = await readFile(join(repo, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
  });
});
