// A tiny static file server for the browser tests: serves dist/, test/ and examples/ from the
// repository root on 127.0.0.1 (a free port), and /data/mnist/ from $MNIST_DIR (default
// ../shared/data/mnist), nothing else. Used by chromium.mjs and examples/browser/test.mjs;
// `node test/runtime/server.mjs [port | --port port]` serves by hand; `/` leads to the browser
// example (/examples/browser/). `npm run browser-example -- 8080` (or `-- --port 8080`) picks the
// port: the last one given wins over the script's default 8000.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TYPES = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.html': 'text/html; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css', '.safetensors': 'application/octet-stream', '.gz': 'application/gzip',
};
const ALLOWED = ['dist/', 'test/', 'examples/'];
export const MNIST_DIR = path.resolve(process.env.MNIST_DIR ?? path.join(ROOT, '../shared/data/mnist'));

/** Starts the server; resolves to { url, close() }. Cross-origin isolation headers are optional. */
export function serve({ port = 0, isolate = false } = {}) {
  const server = createServer(async (req, res) => {
    try {
      let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '');
      if (rel === '' || rel === 'index.html') {
        // the root leads to the demo
        res.writeHead(302, { location: '/examples/browser/', 'content-type': 'text/html; charset=utf-8' })
          .end('<a href="/examples/browser/">the browser example</a>');
        return;
      }
      if (rel === 'examples/browser' || rel === 'examples/browser/') rel = 'examples/browser/index.html';
      const data = rel.startsWith('data/mnist/');
      const base = data ? MNIST_DIR : ROOT;
      const file = path.resolve(base, data ? rel.slice('data/mnist/'.length) : rel);
      if (req.method !== 'GET' || !file.startsWith(base + path.sep) || !(data || ALLOWED.some((p) => rel.startsWith(p)))) {
        res.writeHead(404).end('not found');
        return;
      }
      const body = await readFile(file);
      const headers = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      if (isolate) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address();
      resolve({ url: `http://127.0.0.1:${p}`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) });
    });
  });
}

/**
 * The port from command-line arguments: `8080`, `--port 8080` or `--port=8080`; the last one
 * given wins (npm appends `npm run browser-example -- 8080` after the script's 8000).
 */
export function parsePort(args, fallback = 8000) {
  let port = fallback;
  for (let i = 0; i < args.length; i++) {
    let v = args[i];
    if (v === '--port' || v === '-p') v = args[++i];
    else if (v.startsWith('--port=')) v = v.slice('--port='.length);
    else if (v.startsWith('-')) throw new Error(`unknown option ${v} (usage: server.mjs [port | --port port])`);
    if (v === undefined || !/^\d+$/.test(v) || +v > 65535) throw new Error(`not a port number: ${v ?? '(missing)'} (usage: server.mjs [port | --port port])`);
    port = +v;
  }
  return port;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let port;
  try { port = parsePort(process.argv.slice(2)); } catch (e) { console.error(e.message); process.exit(2); }
  try {
    const s = await serve({ port });
    console.log(`serving ${ROOT} (dist/, test/, examples/) and ${MNIST_DIR} (data/mnist/) at ${s.url}; the browser example: ${s.url}/ (${s.url}/examples/browser/)`);
  } catch (e) {
    if (e?.code === 'EADDRINUSE') console.error(`port ${port} is already in use: pass another one, e.g. \`npm run browser-example -- ${port === 8080 ? 8081 : 8080}\` (or --port N)`);
    else if (e?.code === 'EACCES') console.error(`port ${port} needs privileges: pass a port above 1023, e.g. \`npm run browser-example -- 8080\``);
    else console.error(`cannot serve on port ${port}: ${e?.message ?? e}`);
    process.exit(1);
  }
}
