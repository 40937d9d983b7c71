// What a backend sees of a tensor: a strided view of a Storage. Tensor satisfies this interface,
// so the op layer passes tensors straight through; backends never import the Tensor class.
import type { DType } from '../dtype.js';
import type { Storage } from './storage.js';

export interface View {
  readonly _storage: Storage;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly _strides: readonly number[];
  readonly _offset: number;
  /** a tensor disposed while other views keep its storage alive */
  readonly is_disposed?: boolean;
}

/** A contiguous view of all of `storage` as `shape` (a backend's own temporaries and results). */
export function viewOf(storage: Storage, shape: readonly number[]): View {
  return { _storage: storage, dtype: storage.dtype, shape, _strides: contiguousStridesOf(shape), _offset: 0 };
}

function contiguousStridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

export function isContiguousView(shape: readonly number[], strides: readonly number[]): boolean {
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 1) continue;
    if (strides[i] !== acc) return false;
    acc *= shape[i];
  }
  return true;
}

/** Strides of `t` seen as broadcast to `shape` (0 on expanded dims). */
export function broadcastStrides(t: { readonly shape: readonly number[]; readonly _strides: readonly number[] }, shape: readonly number[]): number[] {
  const lead = shape.length - t.shape.length;
  return shape.map((s, i) => {
    const j = i - lead;
    if (j < 0 || t.shape[j] !== s) return 0; // new leading dim, or a size-1 dim expanded
    return t._strides[j];
  });
}

/** A disposed tensor's storage is released: kernels must not read it. */
export function checkLive(v: View): void {
  if (v.is_disposed || v._storage.account.released) throw new Error(`This tensor (shape [${v.shape.join(', ')}], ${v.dtype}) has been disposed and can no longer be used`);
}
