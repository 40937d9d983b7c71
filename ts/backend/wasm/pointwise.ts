// The wasm backend's elementwise kernels (assembly/generated/pointwise.ts, generated from
// ts/ops/pointwise_table.ts): inputs are materialized into scratch in the compute type; a
// one-element operand of a binary op is passed as a scalar (the kernel's mode 1 or 2).
import type { DType } from '../../dtype.js';
import { ITEMSIZE, KSUFFIX, arrayFor } from '../../dtype.js';
import { numel } from '../../shape.js';
import { Storage } from '../storage.js';
import { POINTWISE } from '../../ops/pointwise_table.js';
import type { PointwiseKernels } from '../kernels/pointwise.js';
import { K, alloc, put, take, scratch, result, takeStatus, ERR_ZERO_DIV } from './runtime.js';
import { materialize, copyKernel } from './scratch.js';
import { bySlices } from './threads.js';

function putScalar(v: number | boolean, d: DType): number {
  const a = arrayFor(d, 1);
  a[0] = typeof v === 'boolean' ? +v : v;
  return put(a);
}

export const pointwise: PointwiseKernels = {
  pointwise(name, inputs, compute, out, shape, p, q) {
    const def = POINTWISE[name];
    const n = numel(shape);
    const kOut: DType = 'out' in def ? 'bool' : compute;
    const data = scratch(() => {
      const ptrs: number[] = [];
      let mode = 0;
      inputs.forEach((x, i) => {
        if (typeof x === 'number' || typeof x === 'boolean') { ptrs.push(putScalar(x, compute)); mode = i === 0 ? 2 : 1; return; }
        if (numel(x.shape) === 1 && n > 1 && inputs.length === 2) { ptrs.push(materialize(x, compute, [])); mode = i === 0 ? 2 : 1; return; }
        // x * x (a 2-norm's squares): the kernels only read their inputs, so one copy serves both
        ptrs.push(i === 1 && x === inputs[0] ? ptrs[0] : materialize(x, compute, shape));
      });
      if (n === 0) return arrayFor(out, 0);
      const o = (kOut === out ? result : alloc)(n * ITEMSIZE[kOut]);
      const fn = `pw_${name}_${KSUFFIX[compute]}`, ei = ITEMSIZE[compute], eo = ITEMSIZE[kOut];
      // float kernels run in slices of elements on the threads (integer ones report division by
      // zero through the calling thread's status word, so they stay whole); a scalar operand stays put
      const scalar = mode === 2 ? 0 : mode === 1 ? 1 : -1;
      const at = (ptr: number, i: number, first: number): number => (i === scalar ? ptr : ptr + first * ei);
      const float = compute === 'float32' || compute === 'float64';
      bySlices(fn, n, float ? n * ((def.arity as number) * ei + eo) : 0, (first, count) => (def.arity === 1
        ? [at(ptrs[0], 0, first), o + first * eo, count, p, q]
        : [at(ptrs[0], 0, first), at(ptrs[1], 1, first), o + first * eo, count, mode]), 16);
      if (takeStatus().code === ERR_ZERO_DIV) throw new Error(`ZeroDivisionError: ${name}: integer division by zero`);
      if (kOut === out) return take(o, out, n);
      const c = alloc(n * ITEMSIZE[out]);
      copyKernel(o, kOut, c, out, [n], [1], [1]);
      return take(c, out, n);
    });
    return new Storage(data, out);
  },
};
