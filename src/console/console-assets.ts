// The console's built front end (index.html, app.js, style.css), served by the service itself:
// no CDN, nothing fetched at run time. `node scripts/build-console.mjs` writes them to
// dist/console/ at the package root, which is found by walking up from this module so that the
// same code works from src/ (tsx) and from dist/src/ (compiled).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProtocolResponse } from '../protocol/json-protocol.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

// Only the service's own files and no inline script: an injected value can never run as code.
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export function defaultAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(dir, 'dist', 'console');
}

/** GET /console, /console/ and /console/assets/<file>; undefined for anything else. */
export function serveAsset(dir: string, path: string): ProtocolResponse | undefined {
  let file: string;
  if (path === '/console' || path === '/console/') file = 'index.html';
  else {
    const m = /^\/console\/assets\/([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.(?:js|css|svg|map))$/.exec(path);
    if (!m) return undefined;
    file = m[1];
  }
  const full = join(dir, file);
  if (!existsSync(full)) {
    const body =
      file === 'index.html' ? 'The console is not built: run `npm run build:console` (npm start and npm test do it).\n' : 'Not found\n';
    return {
      status: file === 'index.html' ? 503 : 404,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
      body,
    };
  }
  const ext = file.slice(file.lastIndexOf('.'));
  return {
    status: 200,
    headers: { 'content-type': TYPES[ext] ?? 'application/octet-stream', ...SECURITY_HEADERS },
    body: readFileSync(full),
  };
}
