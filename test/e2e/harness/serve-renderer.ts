/**
 * Serves the built renderer on 127.0.0.1 through the app's own protocol handler
 * (serveAppRequest): same files, same CSP header, same refusal of anything outside the folder.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_ORIGIN, serveAppRequest } from '../../../electron/main/protocol.js';

export interface ServedRenderer {
  origin: string;
  close: () => Promise<void>;
}

export async function serveRenderer(rendererDir: string): Promise<ServedRenderer> {
  const server: Server = createServer((req, res) => {
    const request = new Request(`${APP_ORIGIN}${req.url ?? '/'}`, { method: req.method ?? 'GET' });
    serveAppRequest(rendererDir, request)
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
