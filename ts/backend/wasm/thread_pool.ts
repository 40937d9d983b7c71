// The worker pool behind ts/backend/wasm/threads.ts, in a chunk of its own (dist/webtorch.threads*.js)
// that is imported only when more than one thread is wanted and threads can run.
//
// Each worker instantiates the same compiled kernel module (and the relaxed-SIMD and Winograd add-ons,
// where they are in use) over the one shared WebAssembly.Memory, then sleeps on a control block in that memory:
//   ctl[0] generation (bumped per job; workers Atomics.wait on it)  ctl[1] next task to claim
//   ctl[2] tasks done  ctl[3] task count  ctl[4] export index  ctl[5] arguments per task
//   ctl[6] which argument is the workspace (-1: none)  ctl[7] workspace base  ctl[8] workspace bytes
//   ctl[9] task table (float64 argument lists)  ctl[10] quit
// A job is a list of independent calls of one export (row or column blocks of a GEMM); the main
// thread and the workers claim calls with Atomics.add until none are left, each thread using its
// own workspace slot. Between jobs ctl[1] holds CLOSED, so a late worker claims nothing.
// Node, Bun, Deno: node:worker_threads; browsers: module Web Workers (only when cross-origin
// isolated, see memory_import.ts). Workers are unref()'d where they can be, so a script exits
// by itself; the worker source travels as a string (no extra file for bundlers or CDNs).
import { K, alloc, reserve, wasmMemory, wasmModule, relaxedAddOn, winogradAddOn } from './runtime.js';
import { RELAXED_EXPORTS } from './variant.js';
import type { Pool } from './threads.js';

const CLOSED = 1 << 30;
/** How long an idle thread polls for the next job before it sleeps (ms). */
const SPIN_MS = 20;

/** The body of every worker: instantiate, report ready, then run claimed calls until told to quit. */
function workerMain(d: {
  module: WebAssembly.Module; relaxed: WebAssembly.Module | null; relaxedNames: string[]; winograd: WebAssembly.Module | null; memory: WebAssembly.Memory;
  names: string[]; ctl: number; slot: number; spinMs: number;
}, ready: () => void): void {
  const env = { memory: d.memory, abort(): never { throw new Error('webtorch: internal kernel abort in a worker thread'); } };
  const ex: Record<string, unknown> = { ...new WebAssembly.Instance(d.module, { env }).exports };
  if (d.relaxed) {
    const r = new WebAssembly.Instance(d.relaxed, { env }).exports;
    for (const n of d.relaxedNames) ex[n] = r[n];
  }
  if (d.winograd) Object.assign(ex, new WebAssembly.Instance(d.winograd, { env }).exports);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const fns = d.names.map((n) => ex[n] as (...a: number[]) => any);
  const ctl = new Int32Array(d.memory.buffer, d.ctl, 16);
  let seen = Atomics.load(ctl, 0);
  ready();
  for (;;) {
    // Spin a while before sleeping, as OpenMP and OpenBLAS threads do: during a training step the
    // next job comes within milliseconds, and waking a thread from Atomics.wait costs 50-150 us on
    // this 2-core host (more than a small GEMM block). Measured on the seed-net step at 2 threads:
    // no spin 33-41 ms, 2 ms of spin 30-32 (gaps between forward, backward and the optimizer are
    // longer), 20 ms 19-22, 100 ms no better.
    const until = performance.now() + d.spinMs;
    for (let i = 1; Atomics.load(ctl, 0) === seen; i++) {
      if ((i & 255) === 0 && performance.now() > until) { Atomics.wait(ctl, 0, seen); break; }
    }
    seen = Atomics.load(ctl, 0);
    if (Atomics.load(ctl, 10)) return;
    for (;;) {
      const i = Atomics.add(ctl, 1, 1), n = Atomics.load(ctl, 3);
      if (i >= n) break;
      const na = ctl[5], wa = ctl[6];
      const args = Array.from(new Float64Array(d.memory.buffer, ctl[9] + i * na * 8, na));
      if (wa >= 0) args[wa] = ctl[7] + d.slot * ctl[8];
      fns[ctl[4]](...args);
      if (Atomics.add(ctl, 2, 1) + 1 === n) Atomics.notify(ctl, 2);
    }
  }
}

interface Handle { unref?(): void; terminate(): unknown }

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

async function spawnWorker(message: unknown): Promise<Handle> {
  const g = globalThis as Any;
  const body = `(${workerMain.toString()})`;
  if (typeof g.process?.versions?.node === 'string') { // Node, Bun, Deno (whose Web Workers cannot be unref()'d)
    const wt = g.process.getBuiltinModule?.('node:worker_threads') ?? await import('node:worker_threads' as string);
    // an ES module as a data: URL (an eval'd string would take --input-type from the parent's flags)
    const src = `import { parentPort } from 'node:worker_threads';
parentPort.once('message', (d) => ${body}(d, () => parentPort.postMessage('ready')));`;
    const w = new wt.Worker(new URL(`data:text/javascript,${encodeURIComponent(src)}`));
    return new Promise((resolve, reject) => {
      w.once('message', () => { w.unref(); resolve(w); });
      w.once('error', reject);
      w.postMessage(message);
    });
  }
  const src = `self.onmessage = (e) => { self.onmessage = null; ${body}(e.data, () => self.postMessage('ready')); };`;
  const w = new g.Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
  return new Promise((resolve, reject) => {
    w.onmessage = () => { w.onmessage = null; resolve(w); };
    w.onerror = (e: Any) => { reject(new Error(e?.message ?? 'worker failed')); };
    w.postMessage(message);
  });
}

/** Starts `workers` worker threads; rejects (and the backend stays single-threaded) where that fails. */
export async function startPool(workers: number): Promise<Pool> {
  // a control block of its own per pool, so a worker of a closed pool never sees the next one's jobs
  const ctlPtr = reserve(64);
  const ctlView = (): Int32Array => new Int32Array(wasmMemory.buffer, ctlPtr, 16);
  const ctl = ctlView();
  Atomics.store(ctl, 1, CLOSED);
  Atomics.store(ctl, 10, 0);
  const names = Object.keys(K).filter((n) => typeof K[n] === 'function');
  const relaxed = relaxedAddOn === null ? null
    : relaxedAddOn instanceof WebAssembly.Module ? relaxedAddOn : await WebAssembly.compile(relaxedAddOn as BufferSource);
  const base = { module: wasmModule, relaxed, relaxedNames: [...RELAXED_EXPORTS], winograd: winogradAddOn, memory: wasmMemory, names, ctl: ctlPtr, spinMs: SPIN_MS };
  const started = await Promise.allSettled(Array.from({ length: workers }, (_, i) => spawnWorker({ ...base, slot: i + 1 })));
  const handles = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (handles.length < workers) {
    for (const h of handles) h.terminate();
    throw (started.find((s) => s.status === 'rejected') as PromiseRejectedResult).reason;
  }
  let canBlock = true;
  try { Atomics.wait(ctl, 10, 1, 0); } catch { canBlock = false; } // browser main threads may not block
  let closed = false;
  return {
    size: workers + 1,
    run(fn, tasks, count, nargs, wsArg, wsBytes) {
      const c = ctlView();
      wsBytes = (wsBytes + 63) & ~63; // each thread's slot stays 64-byte aligned
      const table = alloc(tasks.length * 8);
      new Float64Array(wasmMemory.buffer, table, tasks.length).set(tasks);
      const ws = wsBytes > 0 ? alloc(wsBytes * (workers + 1)) : 0;
      c[3] = count; c[4] = names.indexOf(fn); c[5] = nargs; c[6] = wsArg; c[7] = ws; c[8] = wsBytes; c[9] = table;
      Atomics.store(c, 2, 0);
      Atomics.store(c, 1, 0);
      Atomics.add(c, 0, 1);
      Atomics.notify(c, 0);
      const f = K[fn];
      for (;;) {
        const i = Atomics.add(c, 1, 1);
        if (i >= count) break;
        const args = Array.from(tasks.subarray(i * nargs, (i + 1) * nargs));
        if (wsArg >= 0) args[wsArg] = ws;
        f(...args);
        Atomics.add(c, 2, 1);
      }
      // the other threads' last calls end soon after ours: spin, and sleep only if they lag
      const until = performance.now() + SPIN_MS;
      for (let i = 1, done = Atomics.load(c, 2); done < count; i++, done = Atomics.load(c, 2)) {
        if (canBlock && (i & 255) === 0 && performance.now() > until) Atomics.wait(c, 2, done, 1);
      }
      Atomics.store(c, 1, CLOSED);
    },
    close() {
      if (closed) return;
      closed = true;
      const c = ctlView();
      Atomics.store(c, 10, 1);
      Atomics.add(c, 0, 1);
      Atomics.notify(c, 0);
      for (const h of handles) h.terminate();
    },
  };
}
