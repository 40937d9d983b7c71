// default_collate: turns a list of samples into a batch, as torch.utils.data.default_collate does.
//   tensors          -> stacked along a new first dimension
//   numbers          -> a tensor (int32 when all are integers, else float64, like Python int/float)
//   booleans         -> a bool tensor
//   typed arrays     -> tensors, stacked (PyTorch's numpy arrays)
//   strings          -> kept as a list
//   arrays (tuples)  -> collated position by position (all samples must have the same length)
//   objects and Maps -> collated key by key
import { Tensor } from '../../tensor.js';
import type { DType, TypedArray } from '../../dtype.js';
import { arrayFor } from '../../dtype.js';
import { isContiguousView } from '../../backend/view.js';
import { stack } from '../../ops/indexing.js';
import { tensor } from '../../creation.js';
import { shapeStr } from '../../shape.js';

/** torch.stack for a batch, with one copy per sample when no gradient is involved. */
export function stackBatch(ts: Tensor[]): Tensor {
  const ref = ts[0];
  const n = ref.numel();
  if (ts.some((t) => t.requires_grad)) return stack(ts, 0);
  for (let i = 1; i < ts.length; i++) {
    const t = ts[i];
    if (t.dtype !== ref.dtype || t.ndim !== ref.ndim || t.shape.some((s, j) => s !== ref.shape[j])) {
      if (t.dtype !== ref.dtype) return stack(ts, 0); // torch.stack promotes
      throw new RangeError(`stack expects each tensor to be equal size, but got ${shapeStr(ref.shape)} at entry 0 and ${shapeStr(t.shape)} at entry ${i}`);
    }
  }
  const out = arrayFor(ref.dtype, n * ts.length);
  ts.forEach((t, i) => {
    if (isContiguousView(t.shape, t._strides)) out.set(t._bytes().subarray(t._offset, t._offset + n) as never, i * n);
    else out.set(t.dataSync() as never, i * n);
  });
  return Tensor._fromData(out, ref.dtype, [ts.length, ...ref.shape]);
}

function typedDType(a: TypedArray | ArrayBufferView): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return 'uint8';
  return 'int32';
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (!x || typeof x !== 'object') return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

const typeName = (x: unknown) => (x === null ? 'null' : x === undefined ? 'undefined' : typeof x === 'object' ? (x as object).constructor?.name ?? 'object' : typeof x);

export function default_collate(batch: unknown[]): any {
  if (!Array.isArray(batch) || batch.length === 0) throw new TypeError('default_collate: expected a non-empty array of samples');
  const elem = batch[0];
  const same = (pred: (x: unknown) => boolean, what: string) => {
    batch.forEach((b, i) => { if (!pred(b)) throw new TypeError(`default_collate: sample ${i} is ${typeName(b)} but sample 0 is ${what}`); });
  };
  if (elem instanceof Tensor) {
    same((x) => x instanceof Tensor, 'a Tensor');
    return stackBatch(batch as Tensor[]);
  }
  if (typeof elem === 'number') {
    same((x) => typeof x === 'number', 'a number');
    const nums = batch as number[];
    const dtype: DType = nums.every(Number.isInteger) && nums.every((v) => v >= -(2 ** 31) && v < 2 ** 31) ? 'int32' : 'float64';
    const out = arrayFor(dtype, nums.length);
    out.set(nums);
    return Tensor._fromData(out, dtype, [nums.length]);
  }
  if (typeof elem === 'boolean') {
    same((x) => typeof x === 'boolean', 'a boolean');
    return tensor(batch as boolean[]);
  }
  if (typeof elem === 'bigint') {
    same((x) => typeof x === 'bigint', 'a bigint');
    return tensor((batch as bigint[]).map(Number), { dtype: 'int32' });
  }
  if (typeof elem === 'string') return batch;
  if (ArrayBuffer.isView(elem) && !(elem instanceof DataView)) {
    same((x) => ArrayBuffer.isView(x), 'a typed array');
    const dtype = typedDType(elem);
    return stackBatch((batch as TypedArray[]).map((a) => tensor(a, { dtype })));
  }
  if (elem instanceof Map) {
    same((x) => x instanceof Map, 'a Map');
    const out = new Map<unknown, unknown>();
    for (const k of elem.keys()) {
      out.set(k, default_collate((batch as Map<unknown, unknown>[]).map((b, i) => {
        if (!b.has(k)) throw new TypeError(`default_collate: sample ${i} has no key ${String(k)}`);
        return b.get(k);
      })));
    }
    return out;
  }
  if (Array.isArray(elem)) {
    same(Array.isArray, 'an array');
    const n = elem.length;
    if ((batch as unknown[][]).some((b) => b.length !== n)) throw new RangeError('each element in list of batch should be of equal size');
    return Array.from({ length: n }, (_, j) => default_collate((batch as unknown[][]).map((b) => b[j])));
  }
  if (isPlainObject(elem)) {
    same(isPlainObject, 'an object');
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(elem)) {
      out[k] = default_collate((batch as Record<string, unknown>[]).map((b, i) => {
        if (!(k in b)) throw new TypeError(`default_collate: sample ${i} has no key '${k}'`);
        return b[k];
      }));
    }
    return out;
  }
  throw new TypeError(`default_collate: batch must contain tensors, typed arrays, numbers, booleans, strings, arrays, objects or Maps; found ${typeName(elem)}`);
}

/** default_convert: what a DataLoader applies to each sample when automatic batching is off. */
export function default_convert(data: unknown): any {
  if (data instanceof Tensor) return data;
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) return tensor(data as TypedArray, { dtype: typedDType(data) });
  if (Array.isArray(data)) return data.map(default_convert);
  if (data instanceof Map) return new Map([...data].map(([k, v]) => [k, default_convert(v)]));
  if (isPlainObject(data)) return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, default_convert(v)]));
  return data;
}
