// Storage: the bytes behind one or more tensors (views share it), with a version counter for
// autograd's in-place checks and accounting for torch.memory().
//
// CPU bytes are a JS typed array, so the garbage collector always sees them; dispose() and scopes
// drop them early and deterministically. See docs/MEMORY.md.
import type { DType, TypedArray } from './dtype.js';

export type DeviceType = 'cpu' | 'webgpu';

/** Counters behind torch.memory(). The registry's held values never reference the bytes. */
export const stats = { tensors: 0, storages: 0, bytes: 0, peakBytes: 0 };

/**
 * Storage released deterministically (dispose, scopes, the backward engine's intermediates) goes
 * to a small pool that new results reuse: a fresh ArrayBuffer costs page faults and GC pressure.
 */
const pool = new Map<string, TypedArray[]>();
let pooledBytes = 0;
const POOL_LIMIT = 64 * 2 ** 20, POOL_MIN = 4096;

export function recycle(data: TypedArray): void {
  const b = data.byteLength;
  if (b < POOL_MIN || pooledBytes + b > POOL_LIMIT) return;
  const key = `${data.constructor.name}:${data.length}`;
  let list = pool.get(key);
  if (!list) pool.set(key, (list = []));
  list.push(data);
  pooledBytes += b;
}

/** A typed array from the pool, or null; its contents are stale (callers overwrite all of it). */
export function reuse<A extends TypedArray>(ctor: { name: string }, length: number): A | null {
  const list = pool.get(`${ctor.name}:${length}`);
  const a = list?.pop();
  if (!a) return null;
  pooledBytes -= a.byteLength;
  return a as A;
}

export class StorageAccount {
  refs = 0;
  constructor(readonly bytes: number) {
    stats.storages++;
    stats.bytes += bytes;
    if (stats.bytes > stats.peakBytes) stats.peakBytes = stats.bytes;
  }
  retain(): void { this.refs++; }
  drop(): void {
    if (--this.refs === 0) { stats.storages--; stats.bytes -= this.bytes; }
  }
}

export class Storage {
  version = 0;
  readonly account: StorageAccount;
  constructor(public data: TypedArray, readonly dtype: DType, readonly device: DeviceType = 'cpu') {
    this.account = new StorageAccount(data.byteLength);
  }
}
