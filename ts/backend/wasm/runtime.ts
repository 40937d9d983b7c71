// Loads the kernel module and manages its linear memory: a scratch area that each op resets, and,
// where the memory is shared, a heap of tensor storage below it (./heap.ts).
//
// Tensor storage lives in ordinary JS typed arrays that the garbage collector sees, or in heap
// blocks (docs/MEMORY.md). Each kernel call copies the input spans it needs into scratch unless
// they already live in the heap, runs, and writes its result into a heap block or copies it out.
import { wasmSource, relaxedSource, winogradSource } from '../../platform/wasm_source.js';
import { pickVariant, RELAXED_EXPORTS, type WasmVariant } from './variant.js';
import { threadsAvailable, memoryImport, sharedImport, MAX_PAGES } from './memory_import.js';
import type { DType, TypedArray } from '../../dtype.js';
import { ITEMSIZE, ARRAY_CTOR, arrayFor } from '../../dtype.js';
import { reuse, trimPool, heapHooks, type Storage } from '../storage.js';
import type { Heap } from './heap.js';

/** The kernel memory, imported by every instance; shared (SharedArrayBuffer) where threads can run. */
export const wasmShared = threadsAvailable();
const source = wasmSource();
// edge workers hand over a compiled module (no threads there): its import asks for asconfig.json's 1 page
const pages = source instanceof WebAssembly.Module ? 1 : memoryImport(source).initial;
export const wasmMemory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: wasmShared } as WebAssembly.MemoryDescriptor);
const memory = wasmMemory;
const imports = {
  env: {
    memory,
    abort(_msg: number, _file: number, line: number, col: number): never {
      throw new Error(`webtorch: internal kernel abort at ${line}:${col}`);
    },
  },
};

// embedded bytes everywhere, except edge workers, where the bundle hands over a compiled module
/** The compiled kernel module, which worker threads instantiate again over the same memory. */
export const wasmModule = source instanceof WebAssembly.Module ? source
  : await WebAssembly.compile((wasmShared ? sharedImport(source) : source) as BufferSource);
const instance = await WebAssembly.instantiate(wasmModule, imports);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const K = { ...instance.exports } as unknown as Record<string, (...args: any[]) => any>;

// The relaxed-SIMD GEMM add-on replaces the main module's gemm_* exports where it validates and its
// probe passes (ts/backend/wasm/variant.ts); WEBTORCH_WASM=simd128 forces the baseline.
const relaxed = async (): Promise<Uint8Array | WebAssembly.Module | null> => {
  const s = await relaxedSource();
  return wasmShared && s instanceof Uint8Array ? sharedImport(s) : s;
};
const choice = await pickVariant({ relaxed, memory });
if (choice.exports) for (const name of RELAXED_EXPORTS) (K as Record<string, unknown>)[name] = choice.exports[name];
/** The kernel build in use: 'relaxed-simd' (fused multiply-add GEMM) or 'simd128'. */
export const wasmVariant: WasmVariant = choice.variant;
/** Why the baseline was picked, when it was. */
export const wasmVariantReason: string | undefined = choice.reason;
/** The relaxed add-on in use (bytes or module), or null on the baseline. */
export const relaxedAddOn = choice.source ?? null;

// The Winograd convolution add-on (assembly/winograd.ts, in a chunk of its own) adds its exports to
// the kernels where it loads; without it (edge workers) 3x3 convolutions stay on im2col.
/** The compiled Winograd add-on, which worker threads instantiate too, or null. */
export const winogradAddOn: WebAssembly.Module | null = await winogradSource().then(
  (s) => s && WebAssembly.compile((wasmShared ? sharedImport(s) : s) as BufferSource)).catch(() => null);
if (winogradAddOn) Object.assign(K, (await WebAssembly.instantiate(winogradAddOn, imports)).exports);

let base = (Number(K.heap_base()) + 63) & ~63;
let top = base;
let highWater = base;

// Where the memory is shared, a heap of tensor storage below the scratch area (./heap.ts, a chunk
// of its own: pages without shared memory never download it).
const heap: Heap | null = wasmShared
  ? new (await import('./heap.js')).Heap(carve, memory) : null;
let depth = 0;
/** A heap block carved while no scratch is in use (else -1): released arrays of as many bytes leave the reuse pool, which the heap now stands in for. */
function carve(bytes: number): number {
  if (top !== base) return -1;
  trimPool(bytes);
  return reserve(bytes);
}
/** The heap, or null where the memory is not shared (test/wasm_heap.test.ts reads its counters). */
export const kernelHeap = (): Heap | null => heap;
if (heap) {
  heapHooks.owns = (a) => heap.address(a);
  heapHooks.give = (p) => heap.give(p);
  heapHooks.released = (bytes) => heap.released(bytes);
}

/** Reserves `bytes` for good below the scratch area (only between ops: the scratch must be empty). */
export function reserve(bytes: number): number {
  if (top !== base) throw new Error('webtorch: internal error: reserve() while an op holds scratch memory');
  const p = base;
  base = top = (base + bytes + 63) & ~63;
  if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
  return p;
}

/** Reserves `bytes` of scratch (64-byte aligned), growing wasm memory when needed. */
export function alloc(bytes: number): number {
  const p = top;
  top = (top + bytes + 63) & ~63;
  if (top > memory.buffer.byteLength) {
    const need = top - memory.buffer.byteLength;
    memory.grow(Math.ceil(need / 65536));
  }
  if (top > highWater) highWater = top;
  return p;
}

/** Marks the scratch position; `release(mark)` frees everything allocated after it. */
export const mark = (): number => top;
export const release = (m: number): void => { top = m; };

export const wasmMemoryBytes = (): number => memory.buffer.byteLength;

let cachedBuf: ArrayBuffer | null = null;
let u8: Uint8Array, i32v: Int32Array;
function views(): void {
  if (cachedBuf !== memory.buffer) {
    cachedBuf = memory.buffer as ArrayBuffer;
    u8 = new Uint8Array(cachedBuf);
    i32v = new Int32Array(cachedBuf);
  }
}

/**
 * The address of `src[from, from+n)` for a kernel to read: where it lives when it is in the heap,
 * else a copy in scratch. Kernels never write through it (use `putCopy` for a region they write).
 */
export function put(src: TypedArray, from = 0, n = src.length - from): number {
  const h = heap ? heap.address(src) : -1;
  return h >= 0 ? h + from * src.BYTES_PER_ELEMENT : putCopy(src, from, n);
}

/** Whether `a` lives in a kernel heap block (so put() hands out its own address, without a copy). */
export const inKernelHeap = (a: TypedArray): boolean => heap !== null && heap.address(a) >= 0;

/** Copies `src[from, from+n)` into scratch and returns its pointer. */
export function putCopy(src: TypedArray, from = 0, n = src.length - from): number {
  const bytes = n * src.BYTES_PER_ELEMENT;
  const p = alloc(bytes);
  views();
  // nothing to copy for an empty view (whose offset may lie at or past the end of its storage)
  if (bytes > 0) u8.set(new Uint8Array(src.buffer, src.byteOffset + from * src.BYTES_PER_ELEMENT, bytes), p);
  return p;
}

export function putI32(values: ArrayLike<number>): number {
  const p = alloc(values.length * 4);
  views();
  i32v.set(values, p >> 2);
  return p;
}

/**
 * Room for an op's result of `bytes`: a heap block when one is free (`take` then hands it over
 * without a copy), else scratch.
 */
export function result(bytes: number): number {
  const p = heap && heapHooks.scoped() ? heap.result(bytes) : -1;
  return p < 0 ? alloc(bytes) : p;
}

/** The `n` elements of `dtype` at `ptr` as a typed array of their own: a heap block's, or a copy. */
export function take(ptr: number, dtype: DType, n: number): TypedArray {
  const bytes = n * ITEMSIZE[dtype];
  const h = heap && heapHooks.scoped() ? heap.take(ptr, ARRAY_CTOR[dtype], n, bytes) : null;
  if (h) return h;
  views();
  const out = reuse(ARRAY_CTOR[dtype], n) ?? arrayFor(dtype, n);
  new Uint8Array(out.buffer, out.byteOffset, bytes).set(u8.subarray(ptr, ptr + bytes));
  return out;
}

/**
 * A typed array for a result that host code fills: over a heap block when one is free, else from
 * the reuse pool, else new. Its contents are stale (callers write every element) unless `zero`.
 */
export function fresh(dtype: DType, n: number, zero = false): TypedArray {
  const bytes = n * ITEMSIZE[dtype], h = heap && heapHooks.scoped() ? heap.array(ARRAY_CTOR[dtype], n, bytes) : null;
  // (a typed array's fill() over shared memory runs 4-17x slower than the kernel's memory.fill)
  if (h) { if (zero) K.zero_bytes(h.byteOffset, bytes); return h; }
  const r = reuse(ARRAY_CTOR[dtype], n);
  return r ? (zero ? r.fill(0) : r) : arrayFor(dtype, n);
}

/**
 * Moves a CPU storage's bytes into a heap block when one is free, so kernels read it in place
 * from then on (a model's weights after their first use, say). Only for storages an op reads.
 */
export function promote(s: Storage): void {
  if (!heap || !heapHooks.scoped() || s.account.heap >= 0 || s.buffer) return;
  const d = s.data, a = heap.array(d.constructor as never, d.length, d.byteLength);
  if (!a) return;
  a.set(d as ArrayLike<number>);
  s.data = a;
  s.account.heap = a.byteOffset;
}

/** Copies `bytes` bytes within wasm memory, from `src` to `dst` (the regions may overlap). */
export function move(dst: number, src: number, bytes: number): void {
  views();
  u8.copyWithin(dst, src, src + bytes);
}

/** Copies scratch bytes back into an existing typed array region. */
export function takeInto(ptr: number, dst: TypedArray, from: number, n: number): void {
  views();
  const es = dst.BYTES_PER_ELEMENT, h = heap ? heap.address(dst) : -1;
  if (h >= 0) { if (h + from * es !== ptr) move(h + from * es, ptr, n * es); return; }
  new Uint8Array(dst.buffer, dst.byteOffset + from * es, n * es).set(u8.subarray(ptr, ptr + n * es));
}

/** Runs `fn` with a scratch scope, checking the kernels' status word afterwards. */
export function scratch<T>(fn: () => T): T {
  if (depth === 0 && top === base) heap?.settle();
  const m = top;
  depth++;
  try {
    return fn();
  } finally {
    // (a block carved while this scope held no scratch moved the base above m)
    top = m < base ? base : m;
    // result blocks of a failed op (or one that copied its result elsewhere) go back
    if (--depth === 0) heap?.endOp();
  }
}

/** kernel status codes (assembly/status.ts) */
export const ERR_ZERO_DIV = 1;
export const ERR_INDEX = 2;
/** Reads and clears the kernel status word: 0 when the last kernels ran cleanly. */
export function takeStatus(): { code: number; value: number } {
  const code = K.take_status() as number;
  return { code, value: code ? (K.status_value() as number) : 0 };
}
