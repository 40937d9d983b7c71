// The wasm backend's pooling kernels (assembly/pool.ts), over planes: x is [P, H, W] contiguous
// in scratch (P = the leading dims), the output [P, OH, OW]. Max pooling writes int32 argmax
// indices flat in each H*W plane; its backward scatters through them (`pool_scatter`) and the
// backward of that is a gather (`pool_gather`). Every driver goes through one prologue, `runPool`.
import type { TypedArray } from '../../dtype.js';
import { ITEMSIZE, KSUFFIX, arrayFor } from '../../dtype.js';
import { numel } from '../../shape.js';
import { Storage } from '../storage.js';
import type { View } from '../view.js';
import type { PoolKernels, PoolGeom } from '../kernels/pool.js';
import { K, alloc, take, scratch, result as room } from './runtime.js';
import { materialize } from './scratch.js';

type Kernel = (...args: number[]) => void;
/** Scratch pointers of one pool kernel call: its input, index input, output and argmax output. */
interface Ptrs { x: number; idx: number; out: number; argmax: number }

/**
 * The prologue every pool driver shares: `x` materialized in scratch (and `how.idx` as int32), an
 * output of `n` elements of x's dtype (zeroed with `how.zero`, for the kernels that accumulate
 * into it) and with `how.argmax` a second output of `n` int32 indices; `call` runs the kernel
 * `<name>_f32|f64` on those pointers. Over no planes (`P` = 0) the output is all zeros.
 * Returns the output storage(s).
 */
function runPool(name: string, x: View, n: number, P: number, how: { idx?: View; zero?: boolean; argmax?: boolean }, call: (k: Kernel, p: Ptrs) => void): Storage[] {
  const dt = x.dtype, es = ITEMSIZE[dt];
  const result = (values: TypedArray | null, argmax: TypedArray | null): Storage[] => {
    const out = [new Storage(values ?? arrayFor(dt, n), dt)];
    if (how.argmax) out.push(new Storage(argmax ?? arrayFor('int32', n), 'int32'));
    return out;
  };
  if (n === 0 || P === 0) return result(null, null);
  const [values, argmax] = scratch(() => {
    const p: Ptrs = { x: materialize(x, dt), idx: how.idx ? materialize(how.idx, 'int32') : 0, out: room(n * es), argmax: how.argmax ? alloc(n * 4) : 0 };
    if (how.zero) K.zero_bytes(p.out, n * es);
    call(K[`${name}_${KSUFFIX[dt]}`], p);
    return [take(p.out, dt, n), how.argmax ? take(p.argmax, 'int32', n) : null];
  });
  return result(values, argmax);
}

/** Planes of H*W elements in `shape` (0 when a plane is empty). */
const planesOf = (shape: readonly number[], HW: number): number => (HW ? numel(shape) / HW : 0);

const window = (g: PoolGeom): number[] => {
  const [kh, kw] = g.k ?? [1, 1], [sh, sw] = g.s ?? [1, 1], [ph, pw] = g.p ?? [0, 0];
  return [kh, kw, sh, sw, ph, pw];
};

export const pool: PoolKernels = {
  maxPool(x, g, outShape) {
    const { H, W, OH, OW } = g;
    const n = numel(outShape), P = planesOf(outShape, OH * OW);
    const [values, indices] = runPool(g.adaptive ? 'adaptive_maxpool2d' : 'maxpool2d', x, n, P, { argmax: true }, (k, p) => {
      if (g.adaptive) k(p.x, p.out, p.argmax, P, H, W, OH, OW);
      else k(p.x, p.out, p.argmax, P, H, W, OH, OW, ...window(g), ...(g.d ?? [1, 1]));
    });
    return [values, indices];
  },

  maxPoolBackward(grad, indices, _g, inShape) {
    const n = numel(inShape);
    const HW = inShape[inShape.length - 1] * inShape[inShape.length - 2];
    const P = planesOf(inShape, HW), S = P ? numel(grad.shape) / P : 0;
    return runPool('pool_scatter', grad, n, P, { idx: indices, zero: true }, (k, p) => k(p.x, p.idx, p.out, P, S, HW))[0];
  },

  poolGather(x, indices) {
    const n = numel(indices.shape);
    const HW = x.shape[x.shape.length - 1] * x.shape[x.shape.length - 2];
    const P = planesOf(x.shape, HW), S = P ? n / P : 0;
    return runPool('pool_gather', x, n, P, { idx: indices }, (k, p) => k(p.x, p.idx, p.out, P, S, HW))[0];
  },

  avgPool(x, g, backward, shape) {
    const { H, W, OH, OW } = g;
    const n = numel(shape);
    const P = g.adaptive ? numel((backward ? shape : x.shape).slice(0, -2))
      : backward ? planesOf(x.shape, OH * OW) : planesOf(x.shape, H * W);
    const bwd = backward ? 1 : 0;
    return runPool(g.adaptive ? 'adaptive_avgpool2d' : 'avgpool2d', x, n, P, { zero: backward }, (k, p) => {
      if (g.adaptive) k(p.x, p.out, P, H, W, OH, OW, bwd);
      else k(p.x, p.out, P, H, W, OH, OW, ...window(g), g.includePad ? 1 : 0, g.divisor ?? 0, bwd);
    })[0];
  },
};
