// Storage: the bytes behind one or more tensors (views share it), with a version counter for
// autograd's in-place checks and accounting for torch.memory().
//
// CPU bytes are a JS typed array, so the garbage collector always sees them; dispose() and scopes
// drop them early and deterministically. See docs/MEMORY.md.
import type { DType, TypedArray } from '../dtype.js';

export type DeviceType = 'cpu' | 'webgpu';

/**
 * Counters behind torch.memory() (docs/MEMORY.md says exactly what each counts): CPU and GPU
 * storages not yet released (disposed, or reported collected by the garbage collector), their
 * bytes, and the bytes parked in the reuse pool. The registry's held values never reference the bytes.
 */
export const stats = { tensors: 0, bytes: 0, peakBytes: 0, poolBytes: 0, gpuTensors: 0, gpuBytes: 0, gpuPeakBytes: 0 };

/**
 * Storage released deterministically (dispose, scopes, the backward engine's intermediates) goes
 * to a pool that new results of the same length reuse: a fresh ArrayBuffer costs page faults and
 * GC pressure. The pool holds at most the program's own working set (the most bytes its CPU
 * tensors ever held at once, `peakBytes`), and never less than 64 MiB nor more than 1 GiB: a
 * training step that releases its activations at the end (a scope) gets them all back next step.
 */
const pool = new Map<string, TypedArray[]>();
const POOL_FLOOR = 64 * 2 ** 20, POOL_CEILING = 2 ** 30, POOL_MIN = 4096;
const poolLimit = (): number => Math.min(POOL_CEILING, Math.max(POOL_FLOOR, stats.peakBytes));

/**
 * A backend that keeps CPU storage in memory of its own (the wasm kernel heap, ts/backend/wasm/heap.ts)
 * says which arrays are its blocks (`owns`: the block's address, or -1), takes released blocks back
 * (`give`), and hears of every CPU release (`released`: bytes it may grow by). `scoped` (set by
 * torch.scope) says whether new storage will be released deterministically: the garbage collector
 * cannot see bytes inside the kernel memory, so only then do new results go there.
 */
export const heapHooks = {
  owns: (_data: TypedArray): number => -1,
  give: (_address: number): void => {},
  released: (_bytes: number): void => {},
  scoped: (): boolean => false,
};

export function recycle(data: TypedArray): void {
  const b = data.byteLength;
  if (b < POOL_MIN || heapHooks.owns(data) >= 0 || stats.poolBytes + b > poolLimit()) return;
  const key = `${data.constructor.name}:${data.length}`;
  let list = pool.get(key);
  if (!list) pool.set(key, (list = []));
  list.push(data);
  stats.poolBytes += b;
}

/** Drops arrays from the pool until `bytes` are gone (the kernel heap has taken over as much). */
export function trimPool(bytes: number): void {
  for (const [key, list] of pool) {
    while (bytes > 0 && list.length) {
      const b = list.pop()!.byteLength;
      bytes -= b;
      stats.poolBytes -= b;
    }
    if (!list.length) pool.delete(key);
    if (bytes <= 0) return;
  }
}

/** A typed array from the pool, or null; its contents are stale (callers overwrite all of it). */
export function reuse<A extends TypedArray>(ctor: { name: string }, length: number): A | null {
  const list = pool.get(`${ctor.name}:${length}`);
  const a = list?.pop();
  if (!a) return null;
  stats.poolBytes -= a.byteLength;
  return a as A;
}

/** Live tensors and bytes of one storage; `refs` counts the tensors (views) using it. */
export class StorageAccount {
  refs = 0;
  released = false;
  /** the heap block holding a CPU storage's bytes, or -1 (a JS array) */
  heap = -1;
  /** a device storage's memory goes back to its backend (`free`) when the storage is released */
  constructor(readonly bytes: number, readonly gpuBuffer: GPUBuffer | null = null, private readonly free: ((b: GPUBuffer) => void) | null = null) {
    if (gpuBuffer) {
      stats.gpuTensors++;
      stats.gpuBytes += bytes;
      if (stats.gpuBytes > stats.gpuPeakBytes) stats.gpuPeakBytes = stats.gpuBytes;
      return;
    }
    stats.tensors++;
    stats.bytes += bytes;
    if (stats.bytes > stats.peakBytes) stats.peakBytes = stats.bytes;
  }
  retain(): void { this.refs++; }
  /** one tensor disposed; true when it was the last one */
  drop(): boolean {
    if (--this.refs > 0) return false;
    this.release();
    return true;
  }
  /** the storage is gone: its tensors were disposed, or all were garbage-collected */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.refs = 0;
    if (this.gpuBuffer) {
      stats.gpuTensors--;
      stats.gpuBytes -= this.bytes;
      this.free?.(this.gpuBuffer);
    } else {
      stats.tensors--;
      stats.bytes -= this.bytes;
      if (this.heap >= 0) heapHooks.give(this.heap);
      heapHooks.released(this.bytes);
    }
  }
}

// One registry entry per storage (not per tensor: views are frequent and weak cells cost GC time).
// When a storage is collected, every tensor that used it is gone too.
const registry = new FinalizationRegistry<StorageAccount>((account) => account.release());

// Finalizers run as tasks between turns of the event loop, never inside a synchronous job (and a
// WeakRef keeps its target alive until the job ends), so within one job JS cannot learn which
// storages the collector has freed. V8's `cleanupSome` (behind --harmony-weak-refs-with-cleanup-some)
// runs the pending finalizers synchronously: where the runtime has it, memory() uses it.
const cleanupSome = (registry as unknown as { cleanupSome?: (cb?: (held: StorageAccount) => void) => void }).cleanupSome;

/** Runs the finalizers of storages already collected, where the runtime allows it synchronously. */
export function settle(): void { cleanupSome?.call(registry); }

const EMPTY = new Float32Array(0);

export class Storage {
  version = 0;
  readonly account: StorageAccount;
  readonly device: DeviceType;
  /**
   * CPU storage: `data` holds the values. GPU storage: `buffer` holds `length` 32-bit words (one per
   * element, whatever the dtype) and `data` is empty.
   */
  constructor(public data: TypedArray, readonly dtype: DType, readonly buffer: GPUBuffer | null = null, length = 0, free: ((b: GPUBuffer) => void) | null = null) {
    this.device = buffer ? 'webgpu' : 'cpu';
    this.account = new StorageAccount(buffer ? length * 4 : data.byteLength, buffer, free);
    if (!buffer) this.account.heap = heapHooks.owns(data);
    registry.register(this, this.account, this);
  }
  /** a GPU storage of `length` elements in `buffer` (the storage owns the buffer from now on; `free` takes it back) */
  static gpu(buffer: GPUBuffer, dtype: DType, length: number, free: (b: GPUBuffer) => void): Storage {
    return new Storage(EMPTY, dtype, buffer, length, free);
  }
  /** all tensors using this storage were disposed: recycle the bytes now */
  unregister(): void { registry.unregister(this); }
  /** Number of elements a CPU storage holds (GPU storages: the element count they were made with). */
  get length(): number { return this.buffer ? this.account.bytes / 4 : this.data.length; }
  /**
   * Releases a storage that no tensor took (a backend's temporary) now; storages that tensors hold
   * are released by their last tensor (Tensor.dispose) or the garbage collector instead.
   */
  free(): void {
    if (this.account.refs > 0 || this.account.released) return;
    this.unregister();
    this.account.release();
    if (!this.buffer) { recycle(this.data); this.data = EMPTY; }
  }
}
