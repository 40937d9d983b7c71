// Deterministic release: scopes that dispose what they created, keep(), and torch.memory().
// The mechanism and the measurements behind it are in docs/MEMORY.md.
import type { Tensor } from './tensor.js';
import { stats, settle, heapHooks } from './backend/storage.js';
import { arrayBufferBytes } from './platform/index.js';
import { wasmMemoryBytes } from './backend/wasm/runtime.js';
import { gpuCounters } from './webgpu.js';

const scopes: Set<Tensor>[] = [];

export function trackInScope(t: Tensor): void {
  if (scopes.length) scopes[scopes.length - 1].add(t);
}

/** Removes tensors from every open scope so that no scope disposes them. Returns its argument. */
export function keep<T>(x: T): T {
  forEachTensor(x, (t) => { for (const s of scopes) s.delete(t); });
  return x;
}

function isTensor(x: unknown): x is Tensor {
  return !!x && (typeof x === 'object' || typeof x === 'function') && typeof (x as Tensor)._bytes === 'function' && Array.isArray((x as Tensor).shape);
}

function forEachTensor(x: unknown, fn: (t: Tensor) => void, seen = new Set<unknown>()): void {
  if (!x || (typeof x !== 'object' && typeof x !== 'function') || seen.has(x)) return;
  seen.add(x);
  if (isTensor(x)) { fn(x); return; }
  if (x instanceof Map) { for (const v of x.values()) forEachTensor(v, fn, seen); return; }
  if (Array.isArray(x)) { for (const v of x) forEachTensor(v, fn, seen); return; }
  if (Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) forEachTensor(v, fn, seen);
}

function closeScope(set: Set<Tensor>, result: unknown): void {
  const kept = new Set<Tensor>();
  forEachTensor(result, (t) => kept.add(t));
  for (const t of set) {
    if (kept.has(t)) {
      // returned tensors move to the enclosing scope
      if (scopes.length) scopes[scopes.length - 1].add(t);
      continue;
    }
    t.dispose();
  }
}

// storage made inside a scope is released at its end: only then may results live in the kernel heap
heapHooks.scoped = () => scopes.length > 0;

/**
 * Runs fn and disposes every tensor created inside it, except those in its result (a tensor, or
 * arrays/objects of tensors) and those passed to keep(). Works with async functions: the scope
 * stays open until the promise settles (tensors created by unrelated code running concurrently
 * during an await are also collected, so don't interleave independent async scopes).
 */
export function scope<T>(fn: () => T): T {
  const set = new Set<Tensor>();
  scopes.push(set);
  const pop = () => { const i = scopes.lastIndexOf(set); if (i >= 0) scopes.splice(i, 1); };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    pop(); closeScope(set, undefined);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then((r) => { pop(); closeScope(set, r); return r; }, (e) => { pop(); closeScope(set, undefined); throw e; }) as T;
  }
  pop(); closeScope(set, result);
  return result;
}
/** tfjs-style alias of scope */
export const tidy = scope;

/** Disposes a tensor, or every tensor in an array/object. */
export function dispose(x: unknown): void { forEachTensor(x, (t) => t.dispose()); }

/** What torch.memory() reports; docs/MEMORY.md says exactly what each field counts and when. */
export interface MemoryInfo {
  /**
   * CPU storages that tensors hold and that are not yet released: not disposed, and not yet
   * reported collected by the garbage collector (a view shares its base's storage and is not counted
   * again). A dropped storage leaves the count once the collector has freed it and the event loop
   * has turned (an async loop over a DataLoader turns it at least every 20 ms); inside one
   * synchronous job JS cannot learn what the collector freed, so there it also counts storages
   * dropped (and maybe already freed) during the job: `arrayBufferBytes` is the instant figure.
   */
  tensors: number;
  /** bytes of those storages */
  bytes: number;
  /** the highest `bytes` so far */
  peakBytes: number;
  /** bytes of released CPU storages kept for reuse by new results (at most peakBytes, within 64 MiB..1 GiB) */
  poolBytes: number;
  /** size of the wasm scratch memory (bounded by the largest single op; it never shrinks) */
  wasmBytes: number;
  /**
   * bytes held by every ArrayBuffer of the process at this instant, tensors' storages among them,
   * from the runtime's allocator (Node, Bun, Deno); null where the runtime does not say (browsers)
   */
  arrayBufferBytes: number | null;
  /** webgpu storages not yet released (as `tensors`; not counted there) */
  gpuTensors: number;
  /** bytes of those storages (not counted in `bytes`) */
  gpuBytes: number;
  gpuPeakBytes: number;
  /** bytes of freed GPU buffers the pool keeps for reuse (torch.webgpu.empty_cache() frees them) */
  gpuPoolBytes: number;
  /** GPU buffers created and not destroyed: those of live tensors, those awaiting a submit, the pool's */
  gpuBuffers: number;
  /** their sizes (a buffer is rounded up to its pool size class, so this is at least gpuBytes + gpuPoolBytes) */
  gpuReservedBytes: number;
}
export function memory(): MemoryInfo {
  settle();
  return {
    tensors: stats.tensors, bytes: stats.bytes, peakBytes: stats.peakBytes, poolBytes: stats.poolBytes,
    wasmBytes: wasmMemoryBytes(), arrayBufferBytes: arrayBufferBytes(),
    gpuTensors: stats.gpuTensors, gpuBytes: stats.gpuBytes, gpuPeakBytes: stats.gpuPeakBytes, gpuPoolBytes: gpuCounters().poolBytes,
    gpuBuffers: gpuCounters().buffers, gpuReservedBytes: gpuCounters().reservedBytes,
  };
}
