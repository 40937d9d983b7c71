// The wasm backend's fused optimizer update: kernel `<name>_<f32|f64>(p, g, ...states, n,
// ...scalars, flags)` of assembly/generated/optim.ts (generated from ts/optim/optim_table.ts). The
// inputs are copied into wasm scratch, one kernel updates param and state in place, and the
// results are copied back. Contiguous parameters go in chunks that stay in cache (copy in, update,
// copy out while still hot), so wasm memory stays small however large the parameter.
// Non-contiguous parameters are materialized whole and written back through their view.
import type { DType, TypedArray } from '../../dtype.js';
import { KSUFFIX } from '../../dtype.js';
import { numel } from '../../shape.js';
import { Storage } from '../storage.js';
import { isContiguousView, viewOf } from '../view.js';
import type { OptimKernels } from '../kernels/optim.js';
import { K, put, take, takeInto, scratch } from './runtime.js';
import { bytesOf, materialize, writeInto } from './scratch.js';

/** Elements per kernel call on the contiguous path: 4 arrays x 64K x 4 B = 1 MiB, L2-sized (measured best of 16K/64K/256K). */
const CHUNK = 65536;

export const optim: OptimKernels = {
  optimStep(name, p, g, states, scalars, flags) {
    const dtype: DType = p.dtype;
    const fn = K[`${name}_${KSUFFIX[dtype]}`];
    if (!fn) throw new Error(`optim: missing kernel ${name}_${KSUFFIX[dtype]}`);
    const n = numel(p.shape);
    if (n === 0) return;
    const pd = bytesOf(p);
    const sd = states.map((s) => (s ? bytesOf(s) : null));
    if (isContiguousView(p.shape, p._strides) && isContiguousView(g.shape, g._strides) && g.dtype === dtype) {
      const gd = bytesOf(g);
      for (let lo = 0; lo < n; lo += CHUNK) {
        const m = Math.min(CHUNK, n - lo);
        scratch(() => {
          const pp = put(pd, p._offset + lo, m);
          const gp = put(gd, g._offset + lo, m);
          const sp = states.map((s, i) => (s ? put(sd[i]!, s._offset + lo, m) : 0));
          fn(pp, gp, ...sp, m, ...scalars, flags);
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
      fn(pp, gp, ...sp, n, ...scalars, flags);
      out = take(pp, dtype, n);
      states.forEach((s, i) => { if (s) takeInto(sp[i], sd[i]!, s._offset, n); });
    });
    const tmp = new Storage(out!, dtype);
    try { writeInto(p, viewOf(tmp, p.shape)); } finally { tmp.free(); }
  },
};
