// The wasm backend's fused optimizer update: kernel `<name>_<f32|f64>(p, g, ...states, n,
// ...scalars, flags)` of assembly/generated/optim.ts (generated from ts/optim/optim_table.ts). The
// inputs are copied into wasm scratch, one kernel updates param and state in place, and the
// results are copied back. Contiguous parameters go in chunks that stay in cache (copy in, update,
// copy out while still hot), so wasm memory stays small however large the parameter; arrays that
// live in the kernel heap are updated in place, in slices of elements for the threads.
// Non-contiguous parameters are materialized whole and written back through their view.
import type { DType, TypedArray } from '../../dtype.js';
import { ITEMSIZE, KSUFFIX } from '../../dtype.js';
import { numel } from '../../shape.js';
import { Storage } from '../storage.js';
import { isContiguousView, viewOf } from '../view.js';
import type { OptimKernels } from '../kernels/optim.js';
import { K, put, take, takeInto, scratch, inKernelHeap, promote } from './runtime.js';
import { bytesOf, materialize, writeInto } from './scratch.js';
import { bySlices } from './threads.js';

/** Elements per kernel call on the contiguous path: 4 arrays x 64K x 4 B = 1 MiB, L2-sized (measured best of 16K/64K/256K). */
const CHUNK = 65536;

/**
 * One kernel call over n elements at pp, gp and the state pointers sp (0: no state); with `slices`,
 * cut into slices of elements for the threads.
 */
function update(fn: string, es: number, pp: number, gp: number, sp: readonly number[], n: number,
  scalars: readonly number[], flags: number, slices: boolean): void {
  const arrays = 2 + sp.filter(Boolean).length;
  bySlices(fn, n, slices ? n * arrays * es : 0, (first, count) => [pp + first * es, gp + first * es,
    ...sp.map((q) => (q ? q + first * es : 0)), count, ...scalars, flags], 16);
}

export const optim: OptimKernels = {
  optimStep(name, p, g, states, scalars, flags) {
    const dtype: DType = p.dtype;
    const fn = `${name}_${KSUFFIX[dtype]}`, es = ITEMSIZE[dtype];
    if (!K[fn]) throw new Error(`optim: missing kernel ${name}_${KSUFFIX[dtype]}`);
    const n = numel(p.shape);
    if (n === 0) return;
    // inside torch.scope, parameter, gradient and state move into the kernel heap (once: they stay)
    for (const v of [p, g, ...states]) if (v) promote(v._storage);
    const pd = bytesOf(p);
    const sd = states.map((s) => (s ? bytesOf(s) : null));
    if (isContiguousView(p.shape, p._strides) && isContiguousView(g.shape, g._strides) && g.dtype === dtype) {
      const gd = bytesOf(g);
      // Arrays all in the kernel heap (inside torch.scope) are updated where they lie: one call,
      // in slices for the threads. Otherwise chunk by chunk, copied in and out by this thread, and
      // updated by it too: a slice on another thread would read the freshly copied chunk from a
      // cold cache (measured: Adam over 10M floats 24 ms on one thread, 23-31 ms sliced on two).
      const resident = [pd, gd, ...sd].every((a) => a === null || inKernelHeap(a));
      const chunk = resident ? n : CHUNK;
      for (let lo = 0; lo < n; lo += chunk) {
        const m = Math.min(chunk, n - lo);
        scratch(() => {
          const pp = put(pd, p._offset + lo, m);
          const gp = put(gd, g._offset + lo, m);
          const sp = states.map((s, i) => (s ? put(sd[i]!, s._offset + lo, m) : 0));
          update(fn, es, pp, gp, sp, m, scalars, flags, resident);
          takeInto(pp, pd, p._offset + lo, m);
          states.forEach((s, i) => { if (s) takeInto(sp[i], sd[i]!, s._offset + lo, m); });
        });
      }
      return;
    }
    let out: TypedArray | null = null;
    scratch(() => {
      const pp = materialize(p);
      const gp = materialize(g, dtype);
      const sp = states.map((s, i) => (s ? put(sd[i]!, s._offset, n) : 0));
      update(fn, es, pp, gp, sp, n, scalars, flags, false);
      out = take(pp, dtype, n);
      states.forEach((s, i) => { if (s) takeInto(sp[i], sd[i]!, s._offset, n); });
    });
    const tmp = new Storage(out!, dtype);
    try { writeInto(p, viewOf(tmp, p.shape)); } finally { tmp.free(); }
  },
};
