// The wasm backend's data movement: getting strided, broadcast, differently typed views in and out
// of wasm scratch memory with the strided-copy kernel. Every wasm kernel driver starts here.
import type { DType, TypedArray } from '../../dtype.js';
import { KSUFFIX, ITEMSIZE, arrayFor } from '../../dtype.js';
import { contiguousStrides, numel } from '../../shape.js';
import { K, alloc, put, putCopy, putI32, take, takeInto, scratch, promote } from './runtime.js';
import { isContiguousView, broadcastStrides, checkLive, type View } from '../view.js';

/** What the wasm kernels read of a view: its geometry, and its host bytes (checked for disposal). */
export type ViewLike = View;

/** The host bytes behind a CPU view; a disposed view or one on another device throws. */
export function bytesOf(t: View): TypedArray {
  checkLive(t);
  if (t._storage.buffer) throw new Error(`Expected a cpu tensor, but got a webgpu tensor (shape [${t.shape.join(', ')}], ${t.dtype}) in an operation that runs on the CPU; move it with \`await t.cpu()\``);
  return t._storage.data;
}

/** Element range [lo, hi] of the storage a view touches (strides are never negative). */
function span(shape: readonly number[], strides: readonly number[], offset: number): [number, number] {
  let hi = offset;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 0) return [offset, offset - 1];
    hi += (shape[i] - 1) * strides[i];
  }
  return [offset, hi];
}

/**
 * The storage span of a view for a kernel to read (see `put`): the pointer of its first element.
 * `copy`: always a scratch copy, for a region the kernel writes.
 */
export function putView(t: ViewLike, shape: readonly number[] = t.shape, strides: readonly number[] = t._strides, copy = false): number {
  const [lo, hi] = span(shape, strides, t._offset);
  bytesOf(t); // live, and on the CPU
  if (!copy) promote(t._storage);
  return (copy ? putCopy : put)(t._storage.data, lo, Math.max(hi - lo + 1, 0));
}

/** Merges dims that are contiguous in both layouts and drops size-1 dims. */
function collapse(shape: readonly number[], a: readonly number[], b: readonly number[]): [number[], number[], number[]] {
  const s: number[] = [], sa: number[] = [], sb: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const k = s.length - 1;
    if (k >= 0 && sa[k] === a[i] * shape[i] && sb[k] === b[i] * shape[i]) {
      s[k] *= shape[i]; sa[k] = a[i]; sb[k] = b[i];
    } else {
      s.push(shape[i]); sa.push(a[i]); sb.push(b[i]);
    }
  }
  return [s, sa, sb];
}

/** Runs the strided copy kernel src(view) -> dst(view) inside scratch, converting dtypes. */
export function copyKernel(srcPtr: number, srcDtype: DType, dstPtr: number, dstDtype: DType,
  shape: readonly number[], srcStrides: readonly number[], dstStrides: readonly number[]): void {
  if (numel(shape) === 0) return;
  const [s, sa, sb] = collapse(shape, srcStrides, dstStrides);
  const meta = putI32([s.length, ...s, ...sa, ...sb]);
  K[`copy_${KSUFFIX[srcDtype]}_${KSUFFIX[dstDtype]}`](srcPtr, dstPtr, meta);
}

/**
 * `t` as a contiguous array of `dtype`, broadcast to `shape`, for a kernel to read. Returns the
 * pointer. No copy kernel runs when the view is already contiguous, of that dtype and unbroadcast.
 * `copy`: a region of scratch of its own even then, for a kernel that writes it.
 */
export function materialize(t: ViewLike, dtype: DType = t.dtype, shape: readonly number[] = t.shape, copy = false): number {
  const strides = shape === t.shape ? t._strides : broadcastStrides(t, shape);
  const n = numel(shape);
  const bcast = n !== numel(t.shape);
  if (!bcast && dtype === t.dtype && isContiguousView(shape, strides)) return putView(t, shape, strides, copy);
  return materializeInto(alloc(n * ITEMSIZE[dtype]), t, dtype, shape);
}

/** Writes `t` converted to `dtype` and broadcast to `shape`, contiguous, at `dst` (a region of its own); returns dst. */
export function materializeInto(dst: number, t: ViewLike, dtype: DType, shape: readonly number[]): number {
  const strides = broadcastStrides(t, shape);
  copyKernel(putView(t, shape, strides), t.dtype, dst, dtype, shape, strides, contiguousStrides(shape));
  return dst;
}

/** A new contiguous typed array holding `t` converted to `dtype` (and broadcast to `shape`). */
export function contiguousData(t: ViewLike, dtype: DType = t.dtype, shape: readonly number[] = t.shape): TypedArray {
  const n = numel(shape);
  if (n === 0) return arrayFor(dtype, 0);
  // fast path: a contiguous view of the right dtype is one slice
  if (dtype === t.dtype && n === numel(t.shape) && isContiguousView(t.shape, t._strides)) {
    return bytesOf(t).slice(t._offset, t._offset + n) as TypedArray;
  }
  return scratch(() => take(materialize(t, dtype, shape), dtype, n));
}

/** Rows at least this long are copied on the host, row by row, instead of through scratch. */
const HOST_ROW_MIN = 64;

/**
 * The host path of writeInto: same dtype, both sides contiguous along their last (merged) dim in
 * rows of >= HOST_ROW_MIN elements, and no shared bytes (so no overlap). One TypedArray.set per
 * row: a slice of a wider tensor (the q, k, v thirds of attention's packed projection, say) then
 * costs its own bytes, not a round trip of the whole destination span through wasm memory.
 */
function writeRows(dst: ViewLike, src: ViewLike, sstr: readonly number[]): boolean {
  if (src.dtype !== dst.dtype || src._storage === dst._storage) return false;
  const [s, sa, sb] = collapse(dst.shape, sstr, dst._strides);
  const d = s.length - 1;
  if (d < 0 || sa[d] !== 1 || sb[d] !== 1 || s[d] < HOST_ROW_MIN) return false;
  const from = bytesOf(src), to = bytesOf(dst);
  // small arrays share slabs (dtype.ts arrayFor): only the same bytes are an overlap
  if (from.buffer === to.buffer && from.byteOffset < to.byteOffset + to.byteLength && to.byteOffset < from.byteOffset + from.byteLength) return false;
  const L = s[d], rows = numel(s) / L, idx = new Array<number>(d).fill(0);
  let so = src._offset, dof = dst._offset;
  for (let r = 0; r < rows; r++) {
    to.set(from.subarray(so, so + L), dof);
    for (let k = d - 1; k >= 0; k--) {
      if (++idx[k] < s[k]) { so += sa[k]; dof += sb[k]; break; }
      so -= (s[k] - 1) * sa[k]; dof -= (s[k] - 1) * sb[k]; idx[k] = 0;
    }
  }
  return true;
}

/** Writes `src` (broadcast to dst's shape, converted to dst's dtype) into the view `dst`, in place. */
export function writeInto(dst: ViewLike, src: ViewLike): void {
  const n = numel(dst.shape);
  if (n === 0) return;
  const sstr = broadcastStrides(src, dst.shape);
  if (writeRows(dst, src, sstr)) return;
  scratch(() => {
    const [lo, hi] = span(dst.shape, dst._strides, dst._offset);
    const dptr = put(bytesOf(dst), lo, hi - lo + 1);
    // a heap destination is written in place: a source sharing its storage is read from a copy
    const sptr = putView(src, dst.shape, sstr, src._storage === dst._storage);
    copyKernel(sptr, src.dtype, dptr, dst.dtype, dst.shape, sstr, dst._strides);
    takeInto(dptr, bytesOf(dst), lo, hi - lo + 1);
  });
}

export { K, alloc, put, putI32, take, takeInto, scratch, isContiguousView, broadcastStrides };
