// Runs an elementwise op of the table on webgpu tensors (the GPU half of ts/ops/pointwise.ts kernel()).
import { Tensor } from '../ts/tensor.js';
import type { DType } from '../ts/dtype.js';
import { isContiguousView, broadcastStrides } from '../ts/backend/cpu.js';
import { numel } from '../ts/shape.js';
import type { PointwiseName } from '../ts/ops/pointwise_table.js';
import { onWebgpu } from '../ts/device.js';
import { dispatch, wg, Params } from './runtime.js';
import { pointwiseKey, pointwiseSource, type PointwiseSpec, type Layout } from './wgsl/pointwise.js';
import { emptyGpu, viewParams, scalarBits } from './tensor.js';
import { word } from './wgsl/types.js';

type Operand = Tensor | number | boolean;


export function pointwiseGpu(name: PointwiseName, inputs: Operand[], compute: DType, out: DType, p: number, q: number, shape: number[]): Tensor {
  word(compute, name); word(out, name);
  onWebgpu(name, inputs.filter((x): x is Tensor => x instanceof Tensor), true);
  const n = numel(shape);
  if (n === 0) return emptyGpu(out, shape, name);
  const spec: PointwiseSpec = { name, compute, out, inputs: [] };
  const views: { offset: number; strides: readonly number[] }[] = [];
  const buffers: GPUBuffer[] = [];
  const scalars: number[] = [];
  for (const x of inputs) {
    if (!(x instanceof Tensor) || x.device.type !== 'webgpu') {
      // numbers, and 0-dim CPU tensors (allowed beside GPU tensors, as in PyTorch)
      const v = x instanceof Tensor ? Number(x.itemSync()) : +x;
      spec.inputs.push({ layout: 's', dtype: compute });
      scalars.push(scalarBits(v, compute));
      continue;
    }
    const strides = broadcastStrides(x, shape);
    const layout: Layout = numel(x.shape) === n && isContiguousView(shape, strides) ? 'c' : 'v';
    spec.inputs.push({ layout, dtype: x.dtype });
    views.push({ offset: x._offset, strides });
    buffers.push(x._gpu());
  }
  // allocated only now: x._gpu() above throws for a disposed input, and the output must not leak
  const y = emptyGpu(out, shape, name);
  const params: Params = viewParams(shape, views).f32(p, q).i(...scalars);
  const W = wg();
  dispatch(pointwiseKey(spec), () => pointwiseSource(spec, W), [...buffers, y._gpu()], params, Math.ceil(n / W));
  return y;
}
