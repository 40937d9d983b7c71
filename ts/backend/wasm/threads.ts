// How many threads the wasm kernels use: torch.set_num_threads(n) / torch.get_num_threads(), as in
// PyTorch, defaulting to the cores available (WEBTORCH_THREADS overrides). More than one thread needs
// shared memory (memory_import.ts: Node, Deno, Bun, cross-origin isolated browsers; workerd and
// other pages stay on one thread, silently). Starting workers is asynchronous: the pool
// (thread_pool.ts, a lazy chunk) starts in the background when the module loads or the count
// changes, and kernels run on the calling thread until it is ready (threadsReady()).
import { K, alloc, wasmShared } from './runtime.js';

/** A started pool: `size` threads counting the caller; run() executes `count` calls of export `fn`. */
export interface Pool {
  size: number;
  /** `tasks` holds `count` argument lists of `nargs` numbers; argument `wsArg` (when >= 0) is
   *  replaced by the running thread's own workspace of `wsBytes`. Returns when all calls are done. */
  run(fn: string, tasks: Float64Array, count: number, nargs: number, wsArg: number, wsBytes: number): void;
  close(): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const g = globalThis as any;

function envThreads(): number | null {
  let v: unknown;
  try { v = g.process?.env?.WEBTORCH_THREADS ?? g.Deno?.env?.get?.('WEBTORCH_THREADS'); } catch { /* no env access */ }
  const n = Number(v);
  return typeof v === 'string' && v !== '' && Number.isInteger(n) && n > 0 ? n : null;
}

function cores(): number {
  const n = g.navigator?.hardwareConcurrency;
  if (typeof n === 'number' && n > 0) return n;
  try { return g.process.getBuiltinModule('node:os').availableParallelism(); } catch { return 1; }
}

let wanted = envThreads() ?? cores();
let pool: Pool | null = null;
let pending: Promise<void> | null = null;

function adjust(): void {
  if (pool && pool.size !== wanted) { pool.close(); pool = null; }
  if (pool || pending || wanted <= 1 || !wasmShared) return;
  const size = wanted;
  pending = import('./thread_pool.js').then((m) => m.startPool(size - 1)).then(
    (p) => { pending = null; if (size === wanted) pool = p; else { p.close(); adjust(); } },
    () => { pending = null; }, // no workers here after all: stay on one thread
  );
}
adjust();

/** torch.set_num_threads: the backend checks nothing; the facade validates `n`. */
export function setNumThreads(n: number): void { wanted = n; adjust(); }
export const getNumThreads = (): number => wanted;
/** More than one thread can run here (shared memory and workers exist). */
export const threadsAvailable = (): boolean => wasmShared;
/** Resolves once the pool for the current thread count has started (or failed to). */
export async function threadsReady(): Promise<boolean> {
  while (pending) await pending;
  return wanted === 1 || pool !== null;
}
/** The threads kernels may split work across right now (1 until the pool is ready). */
export const activeThreads = (): number => (pool ? pool.size : 1);

/**
 * Runs independent calls of kernel export `fn` (argument lists of `nargs` in `tasks`), spread over
 * the pool when there is one; argument `wsArg` (-1: none) is each thread's own workspace of `wsBytes`.
 */
export function runCalls(fn: string, tasks: number[], nargs: number, wsArg: number, wsBytes: number): void {
  const count = tasks.length / nargs;
  if (pool && count > 1) { pool.run(fn, Float64Array.from(tasks), count, nargs, wsArg, wsBytes); return; }
  const ws = wsArg >= 0 ? alloc(wsBytes) : 0;
  const f = K[fn];
  for (let i = 0; i < count; i++) {
    const args = tasks.slice(i * nargs, (i + 1) * nargs);
    if (wsArg >= 0) args[wsArg] = ws;
    f(...args);
  }
}

/** Work touching fewer bytes than this stays on the calling thread (a dispatch costs microseconds). */
const MIN_SLICE_WORK = 1 << 18;

/**
 * Runs kernel export `fn` over items [0, total) (samples, planes, elements) in one slice per
 * thread, where the call touches at least MIN_SLICE_WORK `bytes`; `args(first, count)` gives a
 * slice's argument list, and slices start at multiples of `grain` items. Slices must write disjoint
 * memory; each item is computed as in one whole call, so results do not depend on the thread count.
 */
export function bySlices(fn: string, total: number, bytes: number, args: (first: number, count: number) => number[], grain = 1): void {
  const parts = bytes >= MIN_SLICE_WORK ? Math.min(activeThreads(), Math.ceil(total / grain)) : 1;
  if (parts <= 1) { K[fn](...args(0, total)); return; }
  const per = Math.ceil(total / parts / grain) * grain, tasks: number[] = [];
  let nargs = 0;
  for (let a = 0; a < total; a += per) { const t = args(a, Math.min(per, total - a)); nargs = t.length; tasks.push(...t); }
  runCalls(fn, tasks, nargs, -1, 0);
}
