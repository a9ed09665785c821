// Tiny static file server for the page, the demo site and the npm package (no dependencies).
//   node scripts/serve.mjs [port] [root] [--cors] [--cors-port P] [--cors-root DIR]
// defaults: 8080, the repository root. `--cors` adds `Access-Control-Allow-Origin: *` (as a
// CDN sends it); `--cors-port P` also serves `--cors-root` (default: the same root) with
// CORS on port P, so a page on one origin can load the widget from another, e.g.
//   bash scripts/package.sh && node scripts/serve.mjs 8080 . --cors-port 8081 --cors-root target/npm/package
// Serves on 127.0.0.1 only, with the right MIME types for .wasm (needed by
// WebAssembly.instantiateStreaming) and JavaScript modules. Also importable:
//   import { serve } from './serve.mjs'; const server = await serve(0, root, { cors: true });
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * Start serving `root` on 127.0.0.1:`port` (0 = any free port); resolves to the server.
 * With `cors`, every answer carries `Access-Control-Allow-Origin: *` and OPTIONS
 * preflights are answered.
 * @param {number} port
 * @param {string} root
 * @param {{cors?: boolean}} [options]
 */
export function serve(port, root, options = {}) {
  const base = resolve(root);
  /** @type {Record<string, string>} */
  const cors = options.cors
    ? { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Headers': '*' }
    : {};
  const server = createServer(async (request, response) => {
    if (request.method === 'OPTIONS') {
      response.writeHead(options.cors ? 204 : 405, cors).end();
      return;
    }
    try {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      let file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) {
        response.writeHead(403, cors).end('forbidden');
        return;
      }
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
      response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...cors });
      response.end(body);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain', ...cors }).end('not found');
    }
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

/** The port a listening server got. @param {import('node:http').Server} server */
export function portOf(server) {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { cors: { type: 'boolean', default: false }, 'cors-port': { type: 'string' }, 'cors-root': { type: 'string' } },
  });
  const port = Number(positionals[0] ?? 8080);
  const root = positionals[1] ?? join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const server = await serve(port, root, { cors: values.cors });
  console.log(`Serving ${resolve(root)} at http://127.0.0.1:${portOf(server)}/${values.cors ? ' (CORS)' : ''}  (Ctrl-C to stop)`);
  if (values['cors-port'] !== undefined) {
    const corsRoot = values['cors-root'] ?? root;
    const second = await serve(Number(values['cors-port']), corsRoot, { cors: true });
    console.log(`Serving ${resolve(corsRoot)} at http://127.0.0.1:${portOf(second)}/ (CORS)`);
  }
}
