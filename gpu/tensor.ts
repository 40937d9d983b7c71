// GPU tensors: making them, moving values in and out, and the strided copy/cast kernel that every
// layout change (contiguous, broadcast, dtype conversion, in-place writes) goes through.
import { Tensor } from '../ts/tensor.js';
import { Storage } from '../ts/storage.js';
import type { DType, TypedArray } from '../ts/dtype.js';
import { ARRAY_CTOR, arrayFor } from '../ts/dtype.js';
import { numel, contiguousStrides } from '../ts/shape.js';
import { isContiguousView, broadcastStrides } from '../ts/backend/cpu.js';
import { acquire, upload as uploadBytes, read, dispatch, copyBuffer, clear, Params, wg, MAIN_1D, LINEAR_ID } from './runtime.js';
import { word, convert, VIEW_OFFSET, viewBase } from './wgsl/types.js';

/** A tensor owning `buffer` (contiguous, of `shape`). */
export function gpuTensor(buffer: GPUBuffer, dtype: DType, shape: readonly number[]): Tensor {
  return new Tensor(Storage.gpu(buffer, dtype, numel(shape)), shape);
}

/** A new contiguous GPU tensor with undefined contents. */
export function emptyGpu(dtype: DType, shape: readonly number[], op = 'webgpu'): Tensor {
  word(dtype, op);
  return gpuTensor(acquire(numel(shape) * 4), dtype, shape);
}

/** A new GPU tensor with every element `value` (zeros by a buffer clear, others by the copy kernel from one scalar). */
export function fillGpu(dtype: DType, shape: readonly number[], value: number): Tensor {
  const t = emptyGpu(dtype, shape);
  const n = t.numel();
  if (n === 0) return t;
  if (value === 0) { clear(t._gpu(), 0, n * 4); return t; }
  const v = Tensor._fromData(ARRAY_CTOR[dtype].of(value), dtype, []);
  try { writeInto(t, v); } finally { v.dispose(); }
  return t;
}

/** Copies a CPU tensor to the GPU. */
export function toGpu(t: Tensor): Tensor {
  const w = word(t.dtype, 'to');
  const data = t.dataSync();
  // bool and uint8 widen to one u32 word per element
  const words = w === 'u32' ? Uint32Array.from(data as Uint8Array) : data;
  return gpuTensor(uploadBytes(words), t.dtype, t.shape);
}

/** Reads a GPU tensor's values into a new typed array of its dtype. */
export async function fromGpu(t: Tensor): Promise<TypedArray> {
  const c = contiguous(t);
  const n = t.numel();
  try {
    const bytes = await read(c._gpu(), c._offset * 4, n * 4);
    const w = word(t.dtype);
    if (w === 'f32') return new Float32Array(bytes);
    if (w === 'i32') return new Int32Array(bytes);
    return (ARRAY_CTOR[t.dtype] as typeof Uint8Array).from(new Uint32Array(bytes));
  } finally {
    if (c !== t) c.dispose();
  }
}

/** The 32-bit word of `v` stored as `dtype` (through the typed array, so values wrap as on the CPU). */
export function scalarBits(v: number, dtype: DType): number {
  const a = arrayFor(dtype, 1);
  a[0] = v;
  if (dtype === 'float32') return new Int32Array(a.buffer, a.byteOffset, 1)[0];
  return Number(a[0]) | 0;
}

/** Params for the views of `operands` over `shape`: n, nd, shape, then [offset, strides] each. */
export function viewParams(shape: readonly number[], views: { offset: number; strides: readonly number[] }[]): Params {
  const p = new Params().i(numel(shape), shape.length, ...shape);
  for (const v of views) p.i(v.offset, ...v.strides);
  return p;
}

/** Runs the copy kernel: `src` (broadcast to dst's shape) into the view `dst`, converting dtypes. */
function copyKernel(src: Tensor, dst: Tensor): void {
  const n = dst.numel();
  if (n === 0) return;
  const sStr = broadcastStrides(src, dst.shape);
  const key = `copy_${src.dtype}_${dst.dtype}`;
  const W = wg();
  dispatch(key, () => `
@group(0) @binding(0) var<storage, read> S: array<${word(src.dtype)}>;
@group(0) @binding(1) var<storage, read_write> D: array<${word(dst.dtype)}>;
@group(0) @binding(2) var<storage, read> P: array<u32>;
${VIEW_OFFSET}
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  D[viewOffset(i, ${viewBase(1)})] = ${convert(`S[viewOffset(i, ${viewBase(0)})]`, src.dtype, dst.dtype)};
}`, [src._gpu(), dst._gpu()], viewParams(dst.shape, [{ offset: src._offset, strides: sStr }, { offset: dst._offset, strides: dst._strides }]), Math.ceil(n / W));
}

/**
 * `t` as a contiguous GPU tensor of `dtype` and `shape` (broadcasting): `t` itself when it already
 * is one (callers dispose the result only when it is not `t`).
 */
export function contiguous(t: Tensor, dtype: DType = t.dtype, shape: readonly number[] = t.shape): Tensor {
  const same = shape.length === t.ndim && shape.every((s, i) => s === t.shape[i]);
  if (same && dtype === t.dtype && isContiguousView(t.shape, t._strides)) return t;
  const out = emptyGpu(dtype, shape);
  copyKernel(t, out);
  return out;
}

/** A new contiguous GPU tensor holding `t` as `dtype` (always a copy). */
export function copyOf(t: Tensor, dtype: DType = t.dtype, shape: readonly number[] = t.shape): Tensor {
  const out = emptyGpu(dtype, shape);
  if (out.numel() === 0) return out;
  if (dtype === t.dtype && t.numel() === out.numel() && isContiguousView(t.shape, t._strides)) {
    copyBuffer(t._gpu(), t._offset * 4, out._gpu(), 0, out.numel() * 4);
  } else {
    copyKernel(t, out);
  }
  return out;
}

/** Writes `src` (broadcast, converted) into the GPU view `dst` in place. A CPU `src` must be 0-dim. */
export function writeInto(dst: Tensor, src: Tensor): void {
  if (src.device.type !== 'webgpu') {
    const g = toGpu(src);
    try { copyKernel(g, dst); } finally { g.dispose(); }
    return;
  }
  if (src._gpu() === dst._gpu()) {
    // one buffer cannot be bound for reading and writing in the same dispatch
    const tmp = copyOf(src);
    try { copyKernel(tmp, dst); } finally { tmp.dispose(); }
    return;
  }
  copyKernel(src, dst);
}

export { contiguousStrides };
