// The wasm backend's memory: CPU storage is a JS typed array the garbage collector sees
// (docs/MEMORY.md); kernels copy what they need into wasm scratch and back.
import type { DType, TypedArray } from '../../dtype.js';
import { arrayFor } from '../../dtype.js';
import { numel } from '../../shape.js';
import { Storage, reuse } from '../storage.js';
import type { MemoryKernels } from '../kernels/memory.js';
import { ARRAY_CTOR } from '../../dtype.js';
import { contiguousData, writeInto } from './scratch.js';

const empty = (dtype: DType, n: number): Storage => new Storage(reuse(ARRAY_CTOR[dtype], n) ?? arrayFor(dtype, n), dtype);

export const memory: MemoryKernels = {
  syncReads: true,
  empty,
  full(dtype, n, value) {
    // a recycled array filled costs less than a fresh one: the pages of a fresh array fault when
    // they are first written or copied into wasm memory (docs/MEMORY.md)
    const r = reuse(ARRAY_CTOR[dtype], n);
    const s = new Storage(r ?? arrayFor(dtype, n), dtype);
    if (r || value !== 0) s.data.fill(value);
    return s;
  },
  upload(data: TypedArray, dtype) {
    const a = reuse(ARRAY_CTOR[dtype], data.length) ?? arrayFor(dtype, data.length);
    a.set(data as ArrayLike<number>);
    return new Storage(a, dtype);
  },
  copy(x, dtype, shape) { return new Storage(contiguousData(x, dtype, shape), dtype); },
  write(dst, src) { writeInto(dst, src); },
  read(x) { return Promise.resolve(contiguousData(x)); },
  readSync(x) { return numel(x.shape) === 0 ? arrayFor(x.dtype, 0) : contiguousData(x); },
};
