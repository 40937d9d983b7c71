// Loads the kernel module and manages its linear memory as a scratch area.
//
// Tensor storage lives in ordinary JS typed arrays that the garbage collector sees (see
// docs/MEMORY.md). Each kernel call copies the input spans it needs into wasm memory, runs, and
// copies the result out. The scratch area is reset after every op, so wasm memory is bounded by
// the largest single op.
import { wasmSource, relaxedSource } from '../../platform/wasm_source.js';
import { pickVariant, RELAXED_EXPORTS, type WasmVariant } from './variant.js';
import { threadsAvailable, memoryImport, sharedImport, MAX_PAGES } from './memory_import.js';
import type { DType, TypedArray } from '../../dtype.js';
import { ITEMSIZE, ARRAY_CTOR, arrayFor } from '../../dtype.js';
import { reuse } from '../storage.js';

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

let base = (Number(K.heap_base()) + 63) & ~63;
let top = base;
let highWater = base;

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

/** Copies `src[from, from+n)` into scratch and returns its pointer. */
export function put(src: TypedArray, from = 0, n = src.length - from): number {
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

/** Copies `n` elements of `dtype` at `ptr` out of scratch into a new typed array. */
export function take(ptr: number, dtype: DType, n: number): TypedArray {
  views();
  const out = reuse(ARRAY_CTOR[dtype], n) ?? arrayFor(dtype, n);
  new Uint8Array(out.buffer, out.byteOffset, n * ITEMSIZE[dtype]).set(u8.subarray(ptr, ptr + n * ITEMSIZE[dtype]));
  return out;
}

/** Copies `bytes` bytes within wasm memory, from `src` to `dst` (the regions may overlap). */
export function move(dst: number, src: number, bytes: number): void {
  views();
  u8.copyWithin(dst, src, src + bytes);
}

/** Copies scratch bytes back into an existing typed array region. */
export function takeInto(ptr: number, dst: TypedArray, from: number, n: number): void {
  views();
  const es = dst.BYTES_PER_ELEMENT;
  new Uint8Array(dst.buffer, dst.byteOffset + from * es, n * es).set(u8.subarray(ptr, ptr + n * es));
}

/** Runs `fn` with a scratch scope, checking the kernels' status word afterwards. */
export function scratch<T>(fn: () => T): T {
  const m = top;
  try {
    return fn();
  } finally {
    top = m;
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
