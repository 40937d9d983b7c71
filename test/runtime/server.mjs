// A tiny static file server for the browser tests: serves dist/, test/ and examples/ from the
// repository root on 127.0.0.1 (a free port), and /data/mnist/ from $MNIST_DIR (default
// ../shared/data/mnist), nothing else. Used by chromium.mjs and examples/browser/test.mjs;
// `node test/runtime/server.mjs [port]` serves by hand (then open /examples/browser/).
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await serve({ port: +(process.argv[2] ?? 8000) });
  console.log(`serving ${ROOT} (dist/, test/, examples/) and ${MNIST_DIR} (data/mnist/) at ${s.url}; the browser example: ${s.url}/examples/browser/`);
}
