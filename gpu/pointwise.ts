// The webgpu backend's elementwise kernels: any op of ts/ops/pointwise_table.ts over broadcast,
// strided inputs, generated as WGSL by gpu/wgsl/pointwise.ts.
import type { DType } from '../ts/dtype.js';
import { isContiguousView, broadcastStrides } from '../ts/backend/view.js';
import { numel } from '../ts/shape.js';
import type { PointwiseKernels } from '../ts/backend/kernels/pointwise.js';
import { dispatch, wg, Params } from './runtime.js';
import { pointwiseKey, pointwiseSource, type PointwiseSpec, type Layout } from './wgsl/pointwise.js';
import { emptyStorage, viewParams, scalarBits, bufferOf, hostScalar } from './memory.js';
import { word } from './wgsl/types.js';

export const pointwise: PointwiseKernels = {
  pointwise(name, inputs, compute: DType, out: DType, shape, p, q) {
    word(compute, name); word(out, name);
    const n = numel(shape);
    if (n === 0) return emptyStorage(out, 0, name);
    const spec: PointwiseSpec = { name, compute, out, inputs: [] };
    const views: { offset: number; strides: readonly number[] }[] = [];
    const buffers: GPUBuffer[] = [];
    const scalars: number[] = [];
    for (const x of inputs) {
      const scalar = typeof x === 'number' || typeof x === 'boolean';
      if (scalar || !x._storage.buffer) {
        // numbers, and 0-dim CPU tensors (allowed beside GPU tensors, as in PyTorch)
        spec.inputs.push({ layout: 's', dtype: compute });
        scalars.push(scalarBits(scalar ? +x : hostScalar(x), compute));
        continue;
      }
      const strides = broadcastStrides(x, shape);
      const layout: Layout = numel(x.shape) === n && isContiguousView(shape, strides) ? 'c' : 'v';
      spec.inputs.push({ layout, dtype: x.dtype });
      views.push({ offset: x._offset, strides });
      buffers.push(bufferOf(x));
    }
    // allocated only now: bufferOf above throws for a disposed input, and the output must not leak
    const y = emptyStorage(out, n, name);
    const params: Params = viewParams(shape, views).f32(p, q).i(...scalars);
    const W = wg();
    dispatch(pointwiseKey(spec), () => pointwiseSource(spec, W), [...buffers, y.buffer!], params, Math.ceil(n / W));
    return y;
  },
};
