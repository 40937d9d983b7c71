// torch.webgpu: the GPU device's module, in the manner of torch.cuda. Opening a device is
// asynchronous in every JS runtime, so it is `await torch.webgpu.init()` (or is_available()) once
// before the first use of device 'webgpu'.
import { init as openDevice, isReady, synchronize as sync, emptyCache, gpuStats, limits, adapterDescription, gpu } from '../gpu/runtime.js';
import { stats } from './backend/storage.js';
import { registerBackend } from './backend/dispatch.js';

/**
 * Opens the GPU and loads the webgpu backend (its kernels and WGSL are a separate chunk in the
 * browser build, fetched here); resolves true when device 'webgpu' can be used. Safe to call many times.
 */
export async function init(): Promise<boolean> {
  if (!(await openDevice())) return false;
  registerBackend('webgpu', (await import('../gpu/index.js')).webgpu);
  return true;
}
/** torch.cuda.is_available(), asynchronous: it opens the device when there is one. */
export const is_available = (): Promise<boolean> => init();
/** true once init() has opened the device */
export const is_initialized = (): boolean => isReady();
export const device_count = (): number => (isReady() ? 1 : 0);
/** Waits for every queued GPU command to finish. */
export const synchronize = (): Promise<void> => sync();
/** Releases the pool's cached, unused GPU buffers. */
export const empty_cache = (): void => emptyCache();
/** bytes held by live webgpu tensors */
export const memory_allocated = (): number => stats.gpuBytes;
export const max_memory_allocated = (): number => stats.gpuPeakBytes;
/** bytes of every GPU buffer held (live tensors', those awaiting a submit, the pool's), rounded up to their size classes */
export const memory_reserved = (): number => gpuStats.reservedBytes;
/** counters: submits and dispatches recorded, buffers created */
export const stats_ = (): Readonly<typeof gpuStats> => ({ ...gpuStats });
export { stats_ as stats, limits };
/** torch.cuda.get_device_name(): what the adapter says it is (throws before init). */
export const get_device_name = (): string => { gpu(); return adapterDescription(); };
