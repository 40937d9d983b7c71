// Storage: the bytes behind one or more tensors (views share it), with a version counter for
// autograd's in-place checks and accounting for torch.memory().
//
// CPU bytes are a JS typed array, so the garbage collector always sees them; dispose() and scopes
// drop them early and deterministically. See docs/MEMORY.md.
import type { DType, TypedArray } from './dtype.js';

export type DeviceType = 'cpu' | 'webgpu';

/** Counters behind torch.memory(). The registry's held values never reference the bytes. */
export const stats = { tensors: 0, storages: 0, bytes: 0, peakBytes: 0 };

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
