// workerd entry: starts Cloudflare's workerd (npm `workerd`) with test/runtime/workerd/config.capnp
// on 127.0.0.1 and a free port, then asks the worker (which loads dist/webtorch.workerd.js and its
// precompiled dist/webtorch.wasm) to run the fixture suite and to train the MLP on data sent in
// the request.
//   node test/runtime/workerd.mjs     prints RESULT {...}
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { WORKERD } from '../tools/index.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAMILIES, makeData } from './suite.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** The workerd binary from the npm package (no network, no postinstall needed). */
export { WORKERD };

async function start() {
  const port = await freePort();
  const child = spawn(WORKERD, ['serve', path.join(here, 'workerd/config.capnp'), '--socket-addr', `http=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}):\n${log}`);
    try {
      const r = await fetch(url + '/');
      if (r.ok) break;
      throw new Error(`HTTP ${r.status}: ${await r.text()}`);
    } catch (e) {
      if (Date.now() > deadline) { child.kill(); throw new Error(`workerd did not answer on ${url}: ${e.message}\n${log}`); }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const stop = () => new Promise((r) => { if (child.exitCode !== null) return r(); child.once('exit', () => r()); child.kill('SIGTERM'); });
  return { url, stop, log: () => log };
}

async function post(url, body) {
  const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const j = await r.json();
  if (!r.ok || j.error) throw new Error(`${url}: HTTP ${r.status}: ${j.error ?? JSON.stringify(j)}`);
  return j;
}

export async function runWorkerd({ seed = 0, steps = 300 } = {}) {
  const w = await start();
  try {
    // the files' text goes in unchanged (re-serialising would turn -0 into 0)
    const body = '{' + FAMILIES.map((f) => `${JSON.stringify(f)}:${readFileSync(path.join(here, '../fixtures', `${f}.json`), 'utf8')}`).join(',') + '}';
    let t0 = Date.now();
    const fx = await post(`${w.url}/fixtures`, body);
    const fixturesMs = Date.now() - t0; // wall time seen by the client (workerd freezes Date.now() inside a request)
    t0 = Date.now();
    const training = await post(`${w.url}/train`, JSON.stringify({ seed, steps, data: makeData() }));
    training.ms = Date.now() - t0;
    const { runtime: _r, ...fixtures } = fx;
    const webgpu = await (await fetch(`${w.url}/webgpu`)).json();
    return { runtime: String(execFileSync(WORKERD, ['--version'])).trim(), fixtures, fixturesMs, training, webgpu };
  } finally {
    await w.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('RESULT ' + JSON.stringify(await runWorkerd()));
}
