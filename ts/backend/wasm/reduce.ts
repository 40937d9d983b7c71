// The wasm backend's reduce kernels (assembly/reduce.ts): the input is materialized into scratch in
// the compute type, then each group of adjacent reduced dims is one [A, R, B] kernel call, last
// group first.
import { ITEMSIZE, KSUFFIX } from '../../dtype.js';
import { numel } from '../../shape.js';
import { Storage } from '../storage.js';
import type { ReduceKernels } from '../kernels/reduce.js';
import { K, alloc, take, scratch, result } from './runtime.js';
import { materialize, copyKernel } from './scratch.js';

export const reduce: ReduceKernels = {
  reduce(kind, x, dims, compute, out, wantIdx) {
    const n = numel(x.shape.map((s, i) => (dims.includes(i) ? 1 : s)));
    const [vals, idx] = scratch(() => {
      let p = materialize(x, compute);
      const shape = [...x.shape];
      let ip = 0;
      // reduce groups of adjacent dims, last group first
      const groups: [number, number][] = [];
      for (const d of dims) {
        const g = groups[groups.length - 1];
        if (g && g[1] === d - 1) g[1] = d; else groups.push([d, d]);
      }
      // no dims (a 0-d input): a sum of squares still squares, as [n, 1, 1]
      if (kind === 'sumsq' && !groups.length) {
        const o = alloc(n * ITEMSIZE[compute]);
        K[`reduce_sumsq_${KSUFFIX[compute]}`](p, o, n, 1, 1);
        p = o;
      }
      for (let gi = groups.length - 1; gi >= 0; gi--) {
        const [d0, d1] = groups[gi];
        const A = numel(shape.slice(0, d0)), R = numel(shape.slice(d0, d1 + 1)), B = numel(shape.slice(d1 + 1));
        const o = (gi === 0 && out === compute ? result : alloc)(A * B * ITEMSIZE[compute]);
        // a sum of squares squares once: the later groups sum what the first left
        const fn = K[`reduce_${kind === 'sumsq' && gi < groups.length - 1 ? 'sum' : kind}_${KSUFFIX[compute]}`];
        if (kind === 'max' || kind === 'min') {
          ip = wantIdx ? alloc(A * B * 4) : 0;
          fn(p, o, ip, A, R, B);
        } else fn(p, o, A, R, B);
        p = o;
        for (let d = d0; d <= d1; d++) shape[d] = 1;
      }
      if (out !== compute) {
        const c = alloc(n * ITEMSIZE[out]);
        copyKernel(p, compute, c, out, [n], [1], [1]);
        p = c;
      }
      return [take(p, out, n), wantIdx ? take(ip, 'int32', n) : null];
    });
    return [new Storage(vals, out), idx ? new Storage(idx, 'int32') : null];
  },

  cumsum(x, d, out) {
    const data = scratch(() => {
      const p = materialize(x, out);
      const n = numel(x.shape);
      const dst = result(n * ITEMSIZE[out]);
      const A = numel(x.shape.slice(0, d)), R = x.shape.length ? x.shape[d] : 1, B = numel(x.shape.slice(d + 1));
      K[`cumsum_${KSUFFIX[out]}`](p, dst, A, R, B);
      return take(dst, out, n);
    });
    return new Storage(data, out);
  },

  sort(x, d, descending, k) {
    const [vals, idx] = scratch(() => {
      // uint8 and bool sort as int32 (same order; the module then carries no byte sort)
      const compute = x.dtype === 'bool' || x.dtype === 'uint8' ? 'int32' : x.dtype;
      const p = materialize(x, compute);
      const A = numel(x.shape.slice(0, d)), R = x.shape.length ? x.shape[d] : 1, B = numel(x.shape.slice(d + 1));
      const n = A * k * B;
      const v = alloc(n * ITEMSIZE[compute]), i = alloc(n * 4), tmp = alloc(R * 8);
      K[`sort_${KSUFFIX[compute]}`](p, v, i, tmp, A, R, B, descending ? 1 : 0, k);
      const vo = compute === x.dtype ? v : alloc(n * ITEMSIZE[x.dtype]);
      if (vo !== v) copyKernel(v, compute, vo, x.dtype, [n], [1], [1]);
      return [take(vo, x.dtype, n), take(i, 'int32', n)];
    });
    return [new Storage(vals, x.dtype), new Storage(idx, 'int32')];
  },
};
