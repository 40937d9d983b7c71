// Device-generic data movement: a contiguous copy of a view (any dtype, broadcast), and writing
// one view into another. CPU tensors go through the wasm copy kernel, webgpu tensors through the
// WGSL one.
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import { contiguousData, writeInto } from './cpu.js';
import * as G from '../../gpu/tensor.js';
import { shapeStr } from '../shape.js';

/** A new contiguous tensor on x's device holding x as `dtype`, broadcast to `shape`. */
export function copyTensor(x: Tensor, dtype: DType = x.dtype, shape: readonly number[] = x.shape): Tensor {
  if (x.is_webgpu) return G.copyOf(x, dtype, shape);
  return Tensor._fromData(contiguousData(x, dtype, shape), dtype, shape);
}

/** A contiguous copy of x's values laid out as `shape` (same element count): reshape's copy. */
export function copyAs(x: Tensor, shape: readonly number[]): Tensor {
  const c = copyTensor(x);
  const r = new Tensor(c._storage, shape);
  c.dispose();
  return r;
}

/** Writes `src` (broadcast to dst's shape, converted to dst's dtype) into the view `dst`. */
export function writeView(dst: Tensor, src: Tensor): void {
  if (dst.is_webgpu) { G.writeInto(dst, src); return; }
  if (src.is_webgpu) {
    throw new Error(`copy_: writing a webgpu tensor (shape ${shapeStr(src.shape)}) into a cpu tensor needs an asynchronous read: use \`dst.copy_(await src.cpu())\``);
  }
  writeInto(dst, src);
}

/** A new tensor with x's values on `device` (CPU to GPU uploads; GPU to CPU is `await t.cpu()`). */
export function toDevice(x: Tensor): Tensor { return G.toGpu(x); }
