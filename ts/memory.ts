// Deterministic release: scopes that dispose what they created, keep(), and torch.memory().
// The mechanism and the measurements behind it are in docs/MEMORY.md.
import type { Tensor } from './tensor.js';
import { stats } from './backend/storage.js';
import { wasmMemoryBytes } from './backend/wasm/runtime.js';
import { gpuStats } from '../gpu/runtime.js';

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
  return !!x && typeof x === 'object' && typeof (x as Tensor)._bytes === 'function' && Array.isArray((x as Tensor).shape);
}

function forEachTensor(x: unknown, fn: (t: Tensor) => void, seen = new Set<unknown>()): void {
  if (!x || typeof x !== 'object' || seen.has(x)) return;
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

export interface MemoryInfo {
  /**
   * live tensors: distinct storages that a tensor not yet disposed or garbage-collected uses (a
   * view shares its base's storage and is not counted again)
   */
  tensors: number;
  /** bytes of those storages */
  bytes: number;
  peakBytes: number;
  /** size of the wasm scratch memory (bounded by the largest single op) */
  wasmBytes: number;
  /** bytes of live webgpu tensors' storages (not counted in `bytes`) */
  gpuBytes: number;
  gpuPeakBytes: number;
  /** bytes of freed GPU buffers the pool keeps for reuse (torch.webgpu.empty_cache() frees them) */
  gpuPoolBytes: number;
}
export function memory(): MemoryInfo {
  return {
    tensors: stats.storages, bytes: stats.bytes, peakBytes: stats.peakBytes, wasmBytes: wasmMemoryBytes(),
    gpuBytes: stats.gpuBytes, gpuPeakBytes: stats.gpuPeakBytes, gpuPoolBytes: gpuStats.poolBytes,
  };
}
