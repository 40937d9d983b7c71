// The wasm backend's norm kernels (assembly/norm.ts): batch-norm statistics in one kernel call.
import type { DType } from '../../dtype.js';
import { numel } from '../../shape.js';
import { Storage } from '../storage.js';
import type { NormKernels } from '../kernels/norm.js';
import { K, alloc, take, scratch } from './runtime.js';
import { materialize } from './scratch.js';

const sfx = (d: DType) => (d === 'float32' ? 'f32' : 'f64');

export const norm: NormKernels = {
  batchStats(x) {
    const N = x.shape[0], C = x.shape[1], S = numel(x.shape.slice(2));
    const dt = x.dtype, es = dt === 'float32' ? 4 : 8;
    const [m, v] = scratch(() => {
      const xp = materialize(x, dt);
      const mp = alloc(C * es), vp = alloc(C * es);
      K[`bn_stats_${sfx(dt)}`](xp, mp, vp, N, C, S);
      return [take(mp, dt, C), take(vp, dt, C)];
    });
    return [new Storage(m, dt), new Storage(v, dt)];
  },
};
