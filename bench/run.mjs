// webtorch benchmark runner: `npm run bench` (= node bench/run.mjs).
//
//   node bench/run.mjs                       all sections; rewrites bench/RESULTS.md
//   node bench/run.mjs --only matmul,add     some sections; prints only (add --write to write RESULTS.md)
//   node bench/run.mjs --quick               fewer sizes and samples (smoke run)
//   node bench/run.mjs --list                list sections
//   node bench/run.mjs --device webgpu       the GPU benchmark instead (bench/webgpu.mjs)
//   node bench/run.mjs --threads 2          webtorch and PyTorch on two threads each
//   node bench/run.mjs --no-tfjs --json f    leave TF.js out; write the rows to f as JSON
//                                            (bench/configs.mjs runs configurations that way)
//   deno run -A bench/run.mjs --only matmul,mnist
//                                            webtorch under Deno (relaxed-SIMD GEMM where it validates;
//                                            the header says which wasm kernels ran); prints only
//                                            unless --write
//
// Each section (bench/sections/<name>.mjs) measures one workload on webtorch, PyTorch single-thread
// (a /usr/bin/python3 subprocess, bench/python/ref.py) and TensorFlow.js in this same run, and the
// table reports ratios between them. Everything runs on one thread. A section whose feature is not
// in webtorch yet (or whose reference is missing) reports a note instead of a number.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { makeContext, probePython, pythonBlas, ROOT, PYTHON, errNote, setThreads } from './lib/context.mjs';

// Default order: cheap kernels first, training last.
const ORDER = ['matmul', 'add', 'conv2d', 'adam', 'mnist', 'lstm', 'transformer'];

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const optVal = (f) => { const i = argv.indexOf(f); return i >= 0 ? argv[i + 1] : (argv.find((a) => a.startsWith(f + '='))?.split('=')[1]); };

// `npm run bench -- --device webgpu` (npm also hands `npm run bench --device webgpu` over as npm_config_device)
if ((optVal('--device') ?? process.env.npm_config_device) === 'webgpu') {
  const rest = argv.filter((a, i) => a !== '--device' && argv[i - 1] !== '--device' && !a.startsWith('--device='));
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench/webgpu.mjs'), ...rest], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const sectionDir = path.join(ROOT, 'bench/sections');
const available = readdirSync(sectionDir).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4));
const ordered = [...ORDER.filter((n) => available.includes(n)), ...available.filter((n) => !ORDER.includes(n)).sort()];

if (flag('--list')) { console.log(ordered.join('\n')); process.exit(0); }
const only = optVal('--only')?.split(',').map((s) => s.trim()).filter(Boolean);
if (only) for (const n of only) if (!available.includes(n)) { console.error(`unknown section '${n}'; have: ${ordered.join(', ')}`); process.exit(2); }
const selected = only ? ordered.filter((n) => only.includes(n)) : ordered;
const quick = flag('--quick');
// --threads n: webtorch's torch.set_num_threads(n) and PyTorch's (with OMP/OpenBLAS pools of n)
const threads = Number(optVal('--threads') ?? 1);
if (!Number.isInteger(threads) || threads < 1) { console.error('--threads expects a positive integer'); process.exit(2); }
setThreads(threads);
// eslint-disable-next-line no-undef
const DENO = typeof globalThis.Deno !== 'undefined' ? globalThis.Deno : null;
// a Deno run never rewrites RESULTS.md unless asked: the committed table is Node's
const write = flag('--write') || (!DENO && !only && !quick && threads === 1 && !flag('--no-write'));

const command = `${DENO ? 'deno run -A' : 'node'} bench/run.mjs${argv.length ? ' ' + argv.join(' ') : ''}`;
const runtimeName = DENO ? `Deno ${DENO.version.deno} (V8 ${DENO.version.v8})` : `Node ${process.version}`;
const t0 = Date.now();
const loadStart = os.loadavg();
const ctx = await makeContext({ quick });
if (flag('--no-tfjs')) ctx.loadTf = async () => ({ tf: null, note: 'TF.js left out (--no-tfjs)' });
const py = probePython();
const wasmVariant = ctx.torch?.backends?.wasm?.variant ?? '?';
console.log(`webtorch bench: ${selected.join(', ')}${quick ? ' (quick)' : ''}; ${runtimeName}, wasm kernels: ${wasmVariant}`);
if (!ctx.torch) console.log(`  webtorch: ${ctx.torchNote}`);
if (!py.ok) console.log(`  ${py.note}`);

const rows = [];
for (const name of selected) {
  const ts = Date.now();
  process.stdout.write(`  ${name} ... `);
  try {
    const mod = await import(path.join(sectionDir, `${name}.mjs`));
    const out = await mod.run(ctx);
    for (const r of out) { r.section = name; rows.push(r); }
  } catch (e) {
    rows.push({ section: name, workload: name, unit: '', higher: true, webtorch: null, pytorch: null, tfjs: null, notes: [errNote('section failed', e)], extra: {} });
  }
  console.log(`${((Date.now() - ts) / 1000).toFixed(1)} s`);
}
const elapsed = (Date.now() - t0) / 1000;
const loadEnd = os.loadavg();

// ------------------------------------------------------------------------------------------------
const fmt = (v) => (v == null || !Number.isFinite(v) ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (r, ref) => (r.webtorch == null || ref == null ? '—' : `${(r.higher ? r.webtorch / ref : ref / r.webtorch).toFixed(2)}x`);
const header = ['workload', 'unit', 'webtorch', `PyTorch ${threads}T`, 'TF.js', 'vs PyTorch', 'vs TF.js', 'notes'];
const table = rows.map((r) => [
  r.workload, r.unit, fmt(r.webtorch), fmt(r.pytorch),
  r.tfjs == null ? '—' : `${fmt(r.tfjs)}${r.tfjsBackend ? ` (${r.tfjsBackend})` : ''}`,
  ratio(r, r.pytorch), ratio(r, r.tfjs), r.notes.join('; '),
]);

function printTable() {
  const w = header.map((h, i) => Math.max(h.length, ...table.map((t) => String(t[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : String(c).padEnd(w[i]))).join('  ');
  console.log('\n' + line(header));
  console.log(line(w.map((n) => '-'.repeat(n))));
  for (const t of table) console.log(line(t));
  console.log(`\nvs X = webtorch speed / X's speed (> 1: webtorch faster). Same run, ${threads} thread${threads > 1 ? 's' : ''} each. ${elapsed.toFixed(0)} s total.`);
  console.log(`${runtimeName}; webtorch wasm kernels: ${wasmVariant}`);
}
printTable();
const jsonOut = optVal('--json');
if (jsonOut) {
  writeFileSync(jsonOut, JSON.stringify({ runtime: runtimeName, variant: wasmVariant, threads, python: py.ok ? py.version : null,
    load: [loadStart[0], loadEnd[0]], seconds: elapsed, rows }, null, 1));
}

// ------------------------------------------------------------------------------------------------
function sh(cmd) { try { return execSync(cmd, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return ''; } }
function pkgVersion(p) { try { return JSON.parse(readFileSync(path.join(ROOT, 'bench/node_modules', p, 'package.json'), 'utf8')).version; } catch { return 'not installed'; } }
function cpuModel() {
  try { return (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? os.cpus()[0]?.model ?? '?'; } catch { return os.cpus()[0]?.model ?? '?'; }
}

if (write) {
  const commit = sh('git rev-parse --short HEAD');
  const dirty = sh('git status --porcelain -- ts assembly') ? ' + uncommitted changes in ts/ or assembly/' : '';
  const md = [];
  md.push('# webtorch benchmarks', '');
  md.push('Generated by `bench/run.mjs`; do not edit by hand. Re-run after changes that affect speed and commit the result.', '');
  md.push(`Command: \`${command}\` (\`npm run bench\` is \`node bench/run.mjs\`)`, '');
  md.push('| | |', '| --- | --- |');
  md.push(`| date | ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} |`);
  md.push(`| CPU | ${cpuModel()}, ${os.cpus().length} logical cores (every workload runs single-threaded) |`);
  md.push(`| load average at start / end | ${loadStart.map((x) => x.toFixed(2)).join(' ')} / ${loadEnd.map((x) => x.toFixed(2)).join(' ')} |`);
  md.push(`| runtime | ${runtimeName} |`);
  md.push(`| webtorch | ${commit}${dirty}, dist/webtorch.js, wasm kernels: ${wasmVariant} (torch.backends.wasm.variant) |`);
  md.push(`| PyTorch | ${py.ok ? `${py.version} via ${PYTHON}, torch.set_num_threads(1), BLAS: ${pythonBlas() || '?'}` : py.note} |`);
  md.push(`| TensorFlow.js | tfjs ${pkgVersion('@tensorflow/tfjs')}, tfjs-backend-wasm ${pkgVersion('@tensorflow/tfjs-backend-wasm')} (SIMD, no threads in Node), tfjs-backend-cpu ${pkgVersion('@tensorflow/tfjs-backend-cpu')} |`);
  md.push(`| run time | ${elapsed.toFixed(0)} s |`);
  md.push('');
  md.push(`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`);
  for (const t of table) md.push(`| ${t.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`);
  md.push('');
  md.push('- **vs X** is webtorch\'s speed divided by X\'s (for times: X\'s time / webtorch\'s time): above 1 means webtorch is faster. All three run in this one invocation, one after the other, each on one thread.');
  md.push('- Kernels (matmul, add, conv2d, adam) report the **best** of several samples, each sample repeating the call for about 60 ms after warm-up; training steps report the **median** of single steps after 3 warm-up steps. The machine is shared, so the load average above says how much to trust small differences.');
  md.push('- matmul: GFLOP/s = 2n³/time, random float32 inputs. add: GB/s = 12 bytes/element (two reads and one write) / time, allocating a new output each call (`torch.add(a, b)`).');
  md.push('- conv2d: input [64,20,12,12], weight [50,20,5,5], bias (the seed net\'s second layer: im2col); conv2d 3x3: input [64,32,26,26], weight [64,32,3,3], bias (the current net\'s second layer: Winograd F(2x2, 3x3) on wasm); forward+backward GFLOP/s counts 3 × 2·N·Cout·OH·OW·Cin·KH·KW (forward, grad input, grad weight), for Winograd the flops a direct convolution would take.');
  md.push('- adam: one `optimizer.step()` over one 10M-element float32 parameter; GB/s counts 28 bytes/element (read param, grad, exp_avg, exp_avg_sq; write param, exp_avg, exp_avg_sq).');
  md.push('- mnist: one training step (zero_grad, forward, nll_loss, backward, optimizer step) on a random batch of 64 28×28 images. TF.js runs the same nets with its own ops (NHWC); its wasm backend has no Conv2DBackpropFilter kernel, so bench/lib/tfjs.mjs registers one built from tfjs ops (a convolution of the input with the output gradient); the column shows the faster of wasm and cpu.');
  const ex = rows.filter((r) => Object.keys(r.extra).length);
  if (ex.length) {
    md.push('', '<details><summary>medians and extra measurements</summary>', '', '```');
    for (const r of ex) md.push(`${r.workload}: ${Object.entries(r.extra).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`).join(', ')}`);
    md.push('```', '', '</details>');
  }
  md.push('');
  // sections other scripts own (bundle size, one-epoch MNIST runs) are kept as they were
  let kept = '';
  try {
    const old = readFileSync(path.join(ROOT, 'bench/RESULTS.md'), 'utf8');
    kept = (old.match(/<!-- ([\w-]+):start[\s\S]*?<!-- \1:end -->/g) ?? []).join('\n\n');
  } catch { /* first run */ }
  writeFileSync(path.join(ROOT, 'bench/RESULTS.md'), md.join('\n') + (kept ? '\n' + kept + '\n' : ''));
  console.log('wrote bench/RESULTS.md');
}
