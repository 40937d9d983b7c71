// What every section gets: webtorch, TensorFlow.js, the PyTorch subprocess, and row helpers.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTf } from './tfjs.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PYTHON = process.env.WEBTORCH_BENCH_PYTHON ?? '/usr/bin/python3';
/** Threads under test (bench/run.mjs --threads n, default 1): webtorch's set_num_threads, PyTorch's and its BLAS pools. */
export let THREADS = 1;
export function setThreads(n) { THREADS = n; }
const REF = path.join(ROOT, 'bench/python/ref.py');

let torchModule;
export async function loadWebtorch() {
  if (torchModule !== undefined) return torchModule;
  const file = path.join(ROOT, 'dist/webtorch.js');
  if (!existsSync(file)) return (torchModule = { torch: null, note: 'dist/webtorch.js missing: run `npm run build`' });
  try {
    return (torchModule = { torch: await import(file), note: '' });
  } catch (e) {
    return (torchModule = { torch: null, note: `import failed: ${e.message}` });
  }
}

let pyProbe;
/** { ok, version, blas, note }: whether `PYTHON` can import torch. */
export function probePython() {
  if (pyProbe) return pyProbe;
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60000 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.code : (r.stderr.trim().split('\n').pop() || `exit ${r.status}`);
    return (pyProbe = { ok: false, note: `PyTorch skipped: ${PYTHON} cannot import torch (${why}); apt-get install python3-torch libopenblas0-openmp` });
  }
  return (pyProbe = { ok: true, version: r.stdout.trim() });
}

/** Runs one workload of bench/python/ref.py; returns its JSON ({ok:false,error} on any failure). */
export function runPython(spec, timeoutMs = 180000) {
  const p = probePython();
  if (!p.ok) return { ok: false, error: p.note, skipped: true };
  const r = spawnSync(PYTHON, [REF, JSON.stringify(spec)], {
    encoding: 'utf8', timeout: timeoutMs,
    // THREADS everywhere: torch.set_num_threads(THREADS) in the script, and BLAS/OpenMP pools too.
    // glibc's malloc keeps big blocks on its heap (MALLOC_*: what a training script that first loads
    // its dataset ends up with): otherwise PyTorch mmaps its multi-MB buffers afresh every step and
    // page-faults them in, and the current MNIST net's step took 150-230 ms in this bench against
    // 53-66 ms per step in the real one-epoch run (bench/mnist_epoch.mjs), 59 ms with these settings.
    env: {
      ...process.env, OMP_NUM_THREADS: `${THREADS}`, OPENBLAS_NUM_THREADS: `${THREADS}`, MKL_NUM_THREADS: `${THREADS}`, WEBTORCH_BENCH_THREADS: `${THREADS}`,
      MALLOC_MMAP_THRESHOLD_: `${1 << 30}`, MALLOC_TRIM_THRESHOLD_: `${1 << 30}`,
    },
  });
  if (r.error) return { ok: false, error: `python: ${r.error.code ?? r.error.message}` };
  const last = r.stdout.trim().split('\n').pop();
  try {
    const j = JSON.parse(last);
    if (j.blas) lastBlas = j.blas;
    return j;
  } catch {
    return { ok: false, error: `python exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').pop()}` };
  }
}
let lastBlas = '';
export const pythonBlas = () => lastBlas;

/**
 * A table row. Values are numbers in `unit` (or null = not measured, with the reason in notes).
 * `higher`: true when bigger is better (GFLOP/s, GB/s), false for times (ms).
 */
export function row(workload, unit, higher) {
  return { workload, unit, higher, webtorch: null, pytorch: null, tfjs: null, tfjsBackend: '', notes: [], extra: {} };
}

export async function makeContext(opts) {
  const wt = await loadWebtorch();
  if (wt.torch) {
    wt.torch.set_num_threads(THREADS);
    if (!(await wt.torch.backends.wasm.threads_ready())) throw new Error(`bench: ${THREADS} threads did not start`);
  }
  return {
    ...opts,
    torch: wt.torch,
    torchNote: wt.note,
    loadTf,
    runPython,
    probePython,
    row,
  };
}

/** Formats an error thrown by webtorch for a table note. */
export function errNote(who, e) {
  const msg = (e && e.message ? e.message : String(e)).split('\n')[0];
  return `${who}: ${msg.length > 140 ? msg.slice(0, 137) + '...' : msg}`;
}
