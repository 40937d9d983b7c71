// The wasm backend's matrix products: the blocked SIMD GEMM kernel (assembly/gemm.ts), one call
// per batch entry, reading each operand through its (broadcast, transposed) strides, so no
// operand is copied into a new layout. Integer and bool products run in float64 and convert back.
import type { DType } from '../../dtype.js';
import { ITEMSIZE, KSUFFIX } from '../../dtype.js';
import { contiguousStrides, numel } from '../../shape.js';
import { Storage } from '../storage.js';
import { broadcastStrides, type View } from '../view.js';
import type { LinalgKernels } from '../kernels/linalg.js';
import { alloc, take, scratch, result } from './runtime.js';
import { putView, materialize, materializeInto, copyKernel } from './scratch.js';
import { runCalls } from './threads.js';
import { gemmBlocks, gemmWorkspace, GEMM_ARGS, GEMM_WS_ARG } from './gemm_split.js';

/** `t` in scratch as `kdt`: the pointer of its first element, and its strides broadcast to `shape`. */
function operand(t: View, kdt: DType, shape: readonly number[]): [number, number[]] {
  if (t.dtype === kdt) {
    const strides = broadcastStrides(t, shape);
    return [putView(t, shape, strides), strides];
  }
  // integer operands are converted once, to a contiguous float64 copy of their own shape
  return [materialize(t, kdt), broadcastStrides({ shape: t.shape, _strides: contiguousStrides(t.shape) }, shape)];
}

export const linalg: LinalgKernels = {
  matmul(a, b, batch, init) {
    const dt = a.dtype, kdt: DType = dt === 'float32' ? 'float32' : 'float64';
    const es = ITEMSIZE[kdt], s = KSUFFIX[kdt];
    const m = a.shape[a.shape.length - 2], k = a.shape[a.shape.length - 1], n = b.shape[b.shape.length - 1];
    const nb = numel(batch), total = nb * m * n;
    const data = scratch(() => {
      const [ap, aStr] = operand(a, kdt, [...batch, m, k]);
      const [bp, bStr] = operand(b, kdt, [...batch, k, n]);
      // the product accumulates into its own copy of init
      const cp = (kdt === dt ? result : alloc)(total * es);
      if (init) materializeInto(cp, init, kdt, [...batch, m, n]);
      const nbd = batch.length;
      const idx = new Array<number>(nbd).fill(0);
      const calls: number[] = [];
      let ao = 0, bo = 0;
      for (let bi = 0; bi < nb; bi++) {
        gemmBlocks(calls, nb, m, n, k, ap + ao * es, aStr[nbd], aStr[nbd + 1], bp + bo * es, bStr[nbd], bStr[nbd + 1], cp + bi * m * n * es, es, init ? 1 : 0);
        for (let d = nbd - 1; d >= 0; d--) {
          if (++idx[d] < batch[d]) { ao += aStr[d]; bo += bStr[d]; break; }
          ao -= (idx[d] - 1) * aStr[d]; bo -= (idx[d] - 1) * bStr[d]; idx[d] = 0;
        }
      }
      runCalls(`gemm_${s}`, calls, GEMM_ARGS, GEMM_WS_ARG, gemmWorkspace(`gemm_${s}`, calls));
      if (kdt === dt) return take(cp, dt, total);
      const c = alloc(total * ITEMSIZE[dt]);
      copyKernel(cp, kdt, c, dt, [total], [1], [1]);
      return take(c, dt, total);
    });
    return new Storage(data, dt);
  },
};
