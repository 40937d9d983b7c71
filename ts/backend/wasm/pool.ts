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
import { bySlices } from './threads.js';

/** Scratch pointers of one pool kernel call: its input, index input, output and argmax output. */
interface Ptrs { x: number; idx: number; out: number; argmax: number }
/**
 * How a kernel is called on planes [first, first + count): its pointer arguments, each moved by
 * its own bytes per plane, then the plane count, then `rest` (the geometry).
 */
interface Call { ptrs: [ptr: number, planeBytes: number][]; rest: number[] }

/**
 * The prologue every pool driver shares: `x` materialized in scratch (and `how.idx` as int32), an
 * output of `n` elements of x's dtype (zeroed with `how.zero`, for the kernels that accumulate
 * into it) and with `how.argmax` a second output of `n` int32 indices; `call` says how the kernel
 * `<name>_f32|f64` takes those pointers. Planes are independent, so they are cut into slices for
 * the threads. Over no planes (`P` = 0) the output is all zeros. Returns the output storage(s).
 */
function runPool(name: string, x: View, n: number, P: number, how: { idx?: View; zero?: boolean; argmax?: boolean }, call: (p: Ptrs) => Call): Storage[] {
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
    const { ptrs, rest } = call(p);
    const bytes = P * ptrs.reduce((b, [, per]) => b + per, 0);
    bySlices(`${name}_${KSUFFIX[dt]}`, P, bytes, (first, count) => [...ptrs.map(([q, per]) => q + first * per), count, ...rest]);
    return [take(p.out, dt, n), how.argmax ? take(p.argmax, 'int32', n) : null];
  });
  return result(values, argmax);
}

/** Bytes per element of a view. */
const itemsize = (v: View): number => ITEMSIZE[v.dtype];

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
    const [values, indices] = runPool(g.adaptive ? 'adaptive_maxpool2d' : 'maxpool2d', x, n, P, { argmax: true }, (p) => ({
      ptrs: [[p.x, H * W * itemsize(x)], [p.out, OH * OW * itemsize(x)], [p.argmax, OH * OW * 4]],
      rest: g.adaptive ? [H, W, OH, OW] : [H, W, OH, OW, ...window(g), ...(g.d ?? [1, 1])],
    }));
    return [values, indices];
  },

  maxPoolBackward(grad, indices, _g, inShape) {
    const n = numel(inShape);
    const HW = inShape[inShape.length - 1] * inShape[inShape.length - 2];
    const P = planesOf(inShape, HW), S = P ? numel(grad.shape) / P : 0;
    return runPool('pool_scatter', grad, n, P, { idx: indices, zero: true }, (p) => ({
      ptrs: [[p.x, S * itemsize(grad)], [p.idx, S * 4], [p.out, HW * itemsize(grad)]], rest: [S, HW],
    }))[0];
  },

  poolGather(x, indices) {
    const n = numel(indices.shape);
    const HW = x.shape[x.shape.length - 1] * x.shape[x.shape.length - 2];
    const P = planesOf(x.shape, HW), S = P ? n / P : 0;
    return runPool('pool_gather', x, n, P, { idx: indices }, (p) => ({
      ptrs: [[p.x, HW * itemsize(x)], [p.idx, S * 4], [p.out, S * itemsize(x)]], rest: [S, HW],
    }))[0];
  },

  avgPool(x, g, backward, shape) {
    const { H, W, OH, OW } = g;
    const n = numel(shape);
    const P = g.adaptive ? numel((backward ? shape : x.shape).slice(0, -2))
      : backward ? planesOf(x.shape, OH * OW) : planesOf(x.shape, H * W);
    const bwd = backward ? 1 : 0;
    // backward: x is the output gradient (OH x OW planes), out the input gradient (H x W)
    const [xPlane, outPlane] = backward ? [OH * OW, H * W] : [H * W, OH * OW];
    return runPool(g.adaptive ? 'adaptive_avgpool2d' : 'avgpool2d', x, n, P, { zero: backward }, (p) => ({
      ptrs: [[p.x, xPlane * itemsize(x)], [p.out, outPlane * itemsize(x)]],
      rest: g.adaptive ? [H, W, OH, OW, bwd] : [H, W, OH, OW, ...window(g), g.includePad ? 1 : 0, g.divisor ?? 0, bwd],
    }))[0];
  },
};
