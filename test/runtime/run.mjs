// Runs the runtime-neutral suite (test/runtime/suite.mjs) against the built package in every
// runtime and compares them: `npm run test:runtimes` (builds first), or after a build
//   node test/runtime/run.mjs [--only node,deno,chromium,workerd,example,pack]
//
// Per runtime: all PyTorch op/gradient fixtures (test/fixtures/core_*.json, nn_functional.json)
// must pass, and a 2-32-32-2 MLP trained 300 Adam steps from seed 0 must reach a loss below 0.05
// with every step's loss matching Node's within float tolerance. Chromium is Debian's
// /usr/bin/chromium (CHROMIUM_PATH overrides); without it the Chromium run is skipped locally
// and fails under CI=true.
//
// Last, the browser example (examples/browser/test.mjs): the MNIST seed net trained 300 steps in a
// Web Worker in Chromium, drawing pad, .safetensors download and upload, screenshot; then the GAN
// page (examples/browser/gan_test.mjs): the small DCGAN trained 30 steps in a worker. It needs
// the MNIST files ($MNIST_DIR, default ../shared/data/mnist); skipped without them unless CI.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTraining } from './suite.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(',') : null;
const want = (name) => !only || only.includes(name);

function runScript(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${out.slice(-3000)}\n${err.slice(-3000)}`));
      else resolve(JSON.parse(line.slice(7)));
    });
  });
}

// Deno, workerd and playwright-core are test/tools' own dependencies (test/tools/package.json),
// out of the main install: `npm test` installs them (npm --prefix test/tools install)
const DENO = path.join(ROOT, 'test/tools/node_modules/.bin/deno');
if (!existsSync(DENO)) {
  console.error('test/tools/node_modules is not installed: run `npm --prefix test/tools ci` (or `npm test`, which installs it)');
  process.exit(1);
}
if (['dist/webtorch.js', 'dist/webtorch.min.js', 'dist/webtorch.workerd.js'].some((f) => !existsSync(path.join(ROOT, f)))) {
  console.error('dist/ is not built: run `npm run build` first (or `npm run test:runtimes`, which builds)');
  process.exit(1);
}

// The package: no static imports in the bundles but the workerd bundle's .wasm module (the core
// must not pull in Node built-ins; platform/ imports node:fs/promises lazily), and the browser
// bundle within its size budget (bench/bundle_size.mjs measures and records it).
{
  const errors = [];
  for (const [file, allowed] of [['dist/webtorch.js', []], ['dist/webtorch.workerd.js', ['./webtorch.wasm']]]) {
    const src = readFileSync(path.join(ROOT, file), 'utf8');
    const specs = [...src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2]);
    const bad = specs.filter((s) => !allowed.includes(s));
    if (bad.length) errors.push(`${file} has static imports ${bad.join(', ')}`);
    if (/\brequire\(/.test(src)) errors.push(`${file} calls require()`);
  }
  const { gzipSync } = await import('node:zlib');
  const gz = gzipSync(readFileSync(path.join(ROOT, 'dist/webtorch.min.js')), { level: 9 }).length;
  if (gz > 150 * 1024) errors.push(`dist/webtorch.min.js is ${(gz / 1024).toFixed(1)} KB gzipped, over the 150 KB budget`);
  console.log(`${errors.length ? 'FAIL' : 'ok  '} package  no static imports in dist/webtorch.js (workerd bundle: only ./webtorch.wasm); browser file dist/webtorch.min.js ${(gz / 1024).toFixed(1)} KB gzipped, wasm included`);
  for (const e of errors) console.error(`     ${e}`);
  if (errors.length) process.exitCode = 1;
}

// Node's WebGPU (npm webgpu, Dawn) finds no usable Vulkan driver of its own here: SwiftShader
// ships with Debian's chromium (DESIGN.md §3). Deno uses Mesa's lavapipe, Chromium its SwiftShader.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
// Vulkan logs "error: XDG_RUNTIME_DIR is invalid or not set" on every device open without it
// (containers, CI): the child runtimes and Chromium inherit a private temporary one
if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = mkdtempSync(path.join(tmpdir(), 'webtorch-xdg-'));
const nodeGpuEnv = !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER) ? { VK_ICD_FILENAMES: SWIFTSHADER } : {};

/** Checks a runtime's webgpu results: all op fixtures pass (or skip for float64), the MLP trains. */
function checkWebgpu(name, w) {
  const errors = [];
  if (!w) return errors;
  if (name === 'workerd') {
    // edge workers have no GPU: asking for one must fail with a clear reason
    if (w.available || !/no WebGPU/.test(w.reason ?? '')) errors.push(`webgpu in workerd: want a clear 'no WebGPU' error, got available=${w.available}, ${w.reason}`);
    return errors;
  }
  if (!w.available) {
    if (process.env.CI) errors.push(`webgpu: no adapter in CI: ${w.reason}`);
    return errors;
  }
  for (const f of w.fixtures.failures.slice(0, 20)) errors.push(`webgpu fixture ${f.family}/${f.id}: ${f.error}`);
  if (w.fixtures.failures.length > 20) errors.push(`... and ${w.fixtures.failures.length - 20} more webgpu fixture failures`);
  errors.push(...checkTraining(w.training, { threshold: 0.3 }).map((e) => `webgpu MLP: ${e}`));
  return errors;
}
/** Shortens a message to about n characters at a word boundary (a summary line never ends mid-word). */
function brief(text, n = 100) {
  const s = String(text ?? '').replace(/\s+/g, ' ').trim();
  if (s.length <= n) return s;
  const cut = s.lastIndexOf(' ', n);
  return `${s.slice(0, cut > n / 2 ? cut : n).replace(/[\s,;:.]+$/, '')} ...`;
}
const describeWebgpu = (w) => (!w ? '' : !w.available && !w.fixtures ? `; webgpu: none (${brief(w.reason)})`
  : `; webgpu fixtures ${w.fixtures.passed}/${w.fixtures.passed + w.fixtures.failed} (+${w.fixtures.skipped} float64 skipped, ${w.fixturesMs} ms), MLP ${w.training.steps ?? w.training.losses.length} steps loss ${w.training.first.toFixed(4)} -> ${w.training.last.toExponential(3)} (${w.training.ms} ms)`);

const runners = {
  node: () => runScript(process.execPath, [path.join(here, 'node.mjs')], nodeGpuEnv),
  deno: () => runScript(DENO,
    ['run', '--allow-read=test/fixtures,dist', path.join(here, 'deno.mjs')], { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' }),
  chromium: async () => (await import('./chromium.mjs')).runChromium(),
  workerd: async () => (await import('./workerd.mjs')).runWorkerd(),
};

const results = [];
let failed = process.exitCode === 1;
const failedParts = new Set(failed ? ['package'] : []);
let reference = null;
for (const name of ['node', 'deno', 'chromium', 'workerd']) {
  if (!want(name) && !(name === 'node')) continue;
  if (name === 'chromium') {
    const { CHROMIUM } = await import('./chromium.mjs');
    if (!existsSync(CHROMIUM)) {
      const msg = `chromium: ${CHROMIUM} not found (apt-get install chromium)`;
      if (process.env.CI) { console.error(`FAIL ${msg}`); failed = true; failedParts.add(name); } else console.warn(`SKIP ${msg}`);
      continue;
    }
  }
  const t0 = Date.now();
  let r;
  try {
    r = await runners[name]();
  } catch (e) {
    console.error(`FAIL ${name}: ${e.stack ?? e}`);
    failed = true; failedParts.add(name);
    continue;
  }
  const wall = Date.now() - t0;
  const errors = [];
  const fx = r.fixtures;
  for (const f of fx.failures.slice(0, 20)) errors.push(`fixture ${f.family}/${f.id}: ${f.error}`);
  if (fx.failures.length > 20) errors.push(`... and ${fx.failures.length - 20} more fixture failures`);
  if (reference && fx.passed + fx.failed !== reference.fixtures.passed + reference.fixtures.failed) errors.push(`ran ${fx.passed + fx.failed} fixture cases, node ran ${reference.fixtures.passed + reference.fixtures.failed}`);
  // Same kernels as Node: the losses match to float noise. The relaxed-SIMD GEMM (fused
  // multiply-add, torch.backends.wasm.variant) rounds differently, and 300 Adam steps amplify that.
  const sameKernels = r.training.wasmVariant === reference?.training.wasmVariant;
  errors.push(...checkTraining(r.training, { reference: name === 'node' ? null : reference?.training, ...(sameKernels ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-3, atol: 1e-4 }) }));
  errors.push(...checkWebgpu(name, r.webgpu));
  const maxDiff = reference ? Math.max(...r.training.losses.map((l, i) => Math.abs(l - reference.training.losses[i]))) : 0;
  if (name === 'node') reference = r;
  results.push({ name, runtime: r.runtime, fx, fixturesMs: r.fixturesMs, training: r.training, maxDiff, wall, errors });
  if (errors.length) { failed = true; failedParts.add(name); }
  console.log(`${errors.length ? 'FAIL' : 'ok  '} ${name.padEnd(8)} ${r.runtime.padEnd(24)} ${String(r.training.wasmVariant ?? '?').padEnd(12)} fixtures ${fx.passed}/${fx.passed + fx.failed} (${r.fixturesMs} ms)` +
    `  MLP 300 steps: loss ${r.training.first.toFixed(4)} -> ${r.training.last.toExponential(3)}, accuracy ${r.training.accuracy}, ` +
    `max |loss - node| ${maxDiff.toExponential(1)} (${r.training.ms} ms)${describeWebgpu(r.webgpu)}  total ${(wall / 1000).toFixed(1)} s`);
  for (const e of errors) console.error(`     ${e}`);
}
if (want('example')) {
  const { CHROMIUM } = await import('./chromium.mjs');
  const { MNIST_DIR } = await import('./server.mjs');
  const missing = !existsSync(CHROMIUM) ? CHROMIUM : !existsSync(path.join(MNIST_DIR, 'train-images-idx3-ubyte.gz')) ? `MNIST in ${MNIST_DIR}` : null;
  if (missing) {
    const msg = `example: ${missing} not found`;
    if (process.env.CI) { console.error(`FAIL ${msg}`); failed = true; failedParts.add('example'); } else console.warn(`SKIP ${msg}`);
  } else {
    try {
      const r = await (await import('../../examples/browser/test.mjs')).runExample();
      console.log(`${r.ok ? 'ok  ' : 'FAIL'} example  examples/browser in chromium: seed net ${r.steps} steps in a worker, ${r.msPerStep.toFixed(0)} ms/step, ` +
        `loss ${r.lossHead.toFixed(3)} -> ${r.lossTail.toFixed(3)}, test accuracy ${(100 * r.accuracy).toFixed(1)}%, .safetensors ${r.safetensorsBytes} bytes round trip, ` +
        `screenshot ${r.screenshot}  total ${(r.wallMs / 1000).toFixed(1)} s`);
      for (const f of r.fails) console.error(`     ${f}`);
      const g = await (await import('../../examples/browser/gan_test.mjs')).runGan();
      console.log(`${g.ok ? 'ok  ' : 'FAIL'} example  examples/browser/gan.html in chromium: DCGAN ${g.steps} steps in a worker, ${g.msPerStep.toFixed(0)} ms/step, ` +
        `Loss_D ${g.lossD[0].toFixed(3)} -> ${g.lossD[1].toFixed(3)}, D(x) ${g.Dx[0].toFixed(3)} -> ${g.Dx[1].toFixed(3)}, screenshot ${g.screenshot}`);
      for (const f of g.fails) console.error(`     ${f}`);
      if (!r.ok || !g.ok) { failed = true; failedParts.add('example'); }
      else results.push({ name: 'example' });
    } catch (e) {
      console.error(`FAIL example: ${e.stack ?? e}`);
      failed = true; failedParts.add('example');
    }
  }
}
// Last, the package as users install it (test/package/pack.mjs): npm pack, install the tarball in
// a fresh project, import it in Node, Deno and Chromium there, type-check against its types.
if (want('pack')) {
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'test/package/pack.mjs')], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code === 0) results.push({ name: 'pack' });
  else { failed = true; failedParts.add('pack'); }
}
console.log(failed ? 'runtime tests FAILED' : `runtime tests passed: ${results.map((r) => r.name).join(', ')}`);
// the plain closing line: parts that passed (each runtime and the example) and parts that failed
console.log(`runtimes: ${results.filter((r) => !failedParts.has(r.name)).length} passed, ${failedParts.size} failed`);
process.exitCode = failed ? 1 : 0;
