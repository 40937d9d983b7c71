// The webgpu backend's memory: storages of one 32-bit word per element in pooled GPU buffers,
// uploads, asynchronous readback, and the strided copy/cast kernel that every layout change
// (contiguous, broadcast, dtype conversion, in-place writes) goes through.
import { Storage } from '../ts/backend/storage.js';
import type { DType, TypedArray } from '../ts/dtype.js';
import { ARRAY_CTOR, arrayFor } from '../ts/dtype.js';
import { numel } from '../ts/shape.js';
import { isContiguousView, broadcastStrides, checkLive, viewOf, type View } from '../ts/backend/view.js';
import type { MemoryKernels } from '../ts/backend/kernels/memory.js';
import { release, acquire, upload as uploadBytes, read, dispatch, copyBuffer, clear, Params, wg, MAIN_1D, LINEAR_ID } from './runtime.js';
import { word, convert, VIEW_OFFSET, viewBase } from './wgsl/types.js';

/** A storage owning `buffer` (`n` elements). */
export const gpuStorage = (buffer: GPUBuffer, dtype: DType, n: number): Storage => Storage.gpu(buffer, dtype, n, release);

/** A new GPU storage of `n` elements with undefined contents. */
export function emptyStorage(dtype: DType, n: number, op = 'webgpu'): Storage {
  word(dtype, op);
  return gpuStorage(acquire(n * 4), dtype, n);
}

/** The buffer behind a GPU view, checked for disposal and device. */
export function bufferOf(v: View): GPUBuffer {
  checkLive(v);
  const b = v._storage.buffer;
  if (!b) throw new Error(`Expected a webgpu tensor, but got a cpu tensor (shape [${v.shape.join(', ')}], ${v.dtype})`);
  return b;
}

/** The 32-bit word of `v` stored as `dtype` (through the typed array, so values wrap as on the CPU). */
export function scalarBits(v: number, dtype: DType): number {
  const a = arrayFor(dtype, 1);
  a[0] = v;
  if (dtype === 'float32') return new Int32Array(a.buffer, a.byteOffset, 1)[0];
  return Number(a[0]) | 0;
}

/** The value of a 0-dim CPU view (allowed beside GPU tensors, as in PyTorch). */
export function hostScalar(v: View): number {
  checkLive(v);
  return Number(v._storage.data[v._offset]);
}

/** Params for the views of `operands` over `shape`: n, nd, shape, then [offset, strides] each. */
export function viewParams(shape: readonly number[], views: { offset: number; strides: readonly number[] }[]): Params {
  const p = new Params().i(numel(shape), shape.length, ...shape);
  for (const v of views) p.i(v.offset, ...v.strides);
  return p;
}

/** Uploads host values of `dtype` (bool and uint8 widen to one u32 word per element). */
function uploadData(data: TypedArray, dtype: DType): Storage {
  const w = word(dtype, 'to');
  const words = w === 'u32' ? Uint32Array.from(data as Uint8Array) : data;
  return gpuStorage(uploadBytes(words), dtype, data.length);
}

/** Runs the copy kernel: `src` (broadcast to dst's shape) into the view `dst`, converting dtypes. */
function copyKernel(src: View, dst: View): void {
  const n = numel(dst.shape);
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
}`, [bufferOf(src), bufferOf(dst)], viewParams(dst.shape, [{ offset: src._offset, strides: sStr }, { offset: dst._offset, strides: dst._strides }]), Math.ceil(n / W));
}

/** A new contiguous GPU storage holding `x` as `dtype`, broadcast to `shape` (always a copy). */
export function copyStorage(x: View, dtype: DType = x.dtype, shape: readonly number[] = x.shape): Storage {
  const n = numel(shape);
  const out = emptyStorage(dtype, n);
  if (n === 0) return out;
  if (dtype === x.dtype && numel(x.shape) === n && isContiguousView(x.shape, x._strides)) {
    copyBuffer(bufferOf(x), x._offset * 4, out.buffer!, 0, n * 4);
  } else {
    copyKernel(x, viewOf(out, shape));
  }
  return out;
}

/**
 * `x` as a contiguous GPU view of `dtype` and `shape` (broadcasting): `x` itself when it already is
 * one. Callers free the result's storage when it is not x's (`done(x, c)`).
 */
export function contiguousView(x: View, dtype: DType = x.dtype, shape: readonly number[] = x.shape): View {
  const same = shape.length === x.shape.length && shape.every((s, i) => s === x.shape[i]);
  if (same && dtype === x.dtype && isContiguousView(x.shape, x._strides)) { bufferOf(x); return x; }
  return viewOf(copyStorage(x, dtype, shape), shape);
}

/** Frees the temporary `c` made from `x` by contiguousView (nothing when c is x). */
export function done(x: View, c: View): void { if (c !== x) c._storage.free(); }

/** Writes `src` (broadcast, converted) into the GPU view `dst` in place. A CPU `src` must be 0-dim. */
function write(dst: View, src: View): void {
  bufferOf(dst);
  if (!src._storage.buffer) {
    const g = viewOf(uploadData(memoryRead(src), src.dtype), src.shape);
    try { copyKernel(g, dst); } finally { g._storage.free(); }
    return;
  }
  if (bufferOf(src) === dst._storage.buffer) {
    // one buffer cannot be bound for reading and writing in the same dispatch
    const tmp = viewOf(copyStorage(src), src.shape);
    try { copyKernel(tmp, dst); } finally { tmp._storage.free(); }
    return;
  }
  copyKernel(src, dst);
}

/** The host values of a CPU view (a CPU source written into a GPU tensor). */
function memoryRead(v: View): TypedArray {
  checkLive(v);
  const n = numel(v.shape);
  const out = arrayFor(v.dtype, n);
  if (n === 1) { out[0] = v._storage.data[v._offset]; return out; }
  throw new Error(`copy_: a cpu source written into a webgpu tensor must be 0-dim (got shape [${v.shape.join(', ')}]); move it with .to('webgpu')`);
}

async function readGpu(x: View): Promise<TypedArray> {
  const c = contiguousView(x);
  const n = numel(x.shape);
  try {
    if (n === 0) return arrayFor(x.dtype, 0);
    const bytes = await read(bufferOf(c), c._offset * 4, n * 4);
    const w = word(x.dtype);
    if (w === 'f32') return new Float32Array(bytes);
    if (w === 'i32') return new Int32Array(bytes);
    return (ARRAY_CTOR[x.dtype] as typeof Uint8Array).from(new Uint32Array(bytes));
  } finally {
    done(x, c);
  }
}

export const memory: MemoryKernels = {
  syncReads: false,
  empty: emptyStorage,
  full(dtype, n, value) {
    const s = emptyStorage(dtype, n);
    if (n === 0) return s;
    if (value === 0) { clear(s.buffer!, 0, n * 4); return s; }
    write(viewOf(s, [n]), viewOf(new Storage(ARRAY_CTOR[dtype].of(value), dtype), []));
    return s;
  },
  upload: uploadData,
  copy: copyStorage,
  write,
  read: readGpu,
  readSync(x, op) {
    checkLive(x);
    throw new Error(`${op}(): the tensor is on webgpu, where reading values back is asynchronous: use \`await t.${op.replace('Sync', '')}()\``);
  },
};
