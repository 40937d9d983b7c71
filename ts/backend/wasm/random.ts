// The wasm backend's random numbers: the counter-based kernels of assembly/random.ts (splitmix64
// over key + counter), then the scaling, comparison and cast that make the requested values, all
// in one scratch scope.
import type { DType, TypedArray } from '../../dtype.js';
import { ITEMSIZE, KSUFFIX, arrayFor } from '../../dtype.js';
import { Storage } from '../storage.js';
import type { RandomKernels } from '../kernels/random.js';
import { K, alloc, put, take, scratch, result } from './runtime.js';
import { copyKernel } from './scratch.js';

function putScalar(v: number, d: DType): number {
  const a = arrayFor(d, 1);
  a[0] = v;
  return put(a);
}

/** The `n` values at `ptr` (of `from`) as a new typed array of `to`. */
function takeAs(ptr: number, from: DType, to: DType, n: number): TypedArray {
  if (from === to) return take(ptr, to, n);
  const c = alloc(n * ITEMSIZE[to]);
  copyKernel(ptr, from, c, to, [n], [1], [1]);
  return take(c, to, n);
}

export const random: RandomKernels = {
  random(kind, n, dtype, a, b, key, counter) {
    if (n === 0) return new Storage(arrayFor(dtype, 0), dtype);
    const data = scratch(() => {
      if (kind === 'int') {
        const p = (dtype === 'int32' ? result : alloc)(n * 4);
        K.rand_int_i32(key, counter, p, n, a, b);
        return takeAs(p, 'int32', dtype, n);
      }
      // float64 values for float64, float32 for everything else (as the ops below compute in)
      const kd: DType = dtype === 'float64' ? 'float64' : 'float32';
      const s = KSUFFIX[kd];
      const p = (kd === dtype ? result : alloc)(n * ITEMSIZE[kd]);
      if (kind === 'normal') {
        K[`rand_normal_${s}`](key, counter, p, n, a, b);
        return takeAs(p, kd, dtype, n);
      }
      if (kind === 'dropout') {
        // one kernel pass; the same values as uniform >= a, cast, divided by (1 - a) in kd
        const r = (x: number): number => (kd === 'float32' ? Math.fround(x) : x);
        const q = r(1 - a);
        K[`rand_dropout_${s}`](key, counter, p, n, a, r(1 / q), r(0 / q));
        return takeAs(p, kd, dtype, n);
      }
      K[`rand_uniform_${s}`](key, counter, p, n, 0, 1);
      if (kind === 'bernoulli') {
        const o = (dtype === 'bool' ? result : alloc)(n);
        K[`pw_lt_${s}`](p, putScalar(a, kd), o, n, 1);
        return takeAs(o, 'bool', dtype, n);
      }
      if (a !== 0 || b !== 1) {
        // (b - a) * u + a as two float ops of kd, rounding after each as x.mul(b - a).add(a) does
        K[`pw_mul_${s}`](p, putScalar(b - a, kd), p, n, 1);
        K[`pw_add_${s}`](p, putScalar(a, kd), p, n, 1);
      }
      return takeAs(p, kd, dtype, n);
    });
    return new Storage(data, dtype);
  },
  randperm(n, key, counter) {
    if (n === 0) return new Storage(new Int32Array(0), 'int32');
    const data = scratch(() => {
      const p = alloc(n * 4);
      K.rand_perm_i32(key, counter, p, n);
      return take(p, 'int32', n);
    });
    return new Storage(data, 'int32');
  },
};
