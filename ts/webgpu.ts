// torch.webgpu: the GPU device's module, in the manner of torch.cuda. Opening a device is
// asynchronous in every JS runtime, so it is `await torch.webgpu.init()` (or is_available()) once
// before the first use of device 'webgpu'.
import { stats } from './backend/storage.js';
import { registerBackend } from './backend/dispatch.js';
import { loadGpuRuntime, loadedGpuRuntime, requireGpu } from './backend/gpu_runtime.js';

/** The limits kernels respect (filled from the device by init()). */
export const limits = { maxInvocations: 256, maxWorkgroupsPerDim: 65535, maxStorageBinding: 128 * 2 ** 20, maxWorkgroupStorage: 16384, maxWorkgroupSizeX: 256 };
const NO_STATS = { bytes: 0, peakBytes: 0, poolBytes: 0, buffers: 0, reservedBytes: 0, submits: 0, dispatches: 0 };
/** The runtime's buffer counters (zeros before init()). */
export const gpuCounters = (): Readonly<typeof NO_STATS> => loadedGpuRuntime()?.gpuStats ?? NO_STATS;

/**
 * Opens the GPU and loads the webgpu runtime and backend (their kernels and WGSL are a separate
 * chunk in the browser build, fetched here); resolves true when device 'webgpu' can be used.
 * Safe to call many times.
 */
export async function init(): Promise<boolean> {
  const rt = await loadGpuRuntime();
  if (!(await rt.init())) return false;
  Object.assign(limits, rt.limits);
  registerBackend('webgpu', (await import('../gpu/index.js')).webgpu);
  return true;
}
const isReady = (): boolean => loadedGpuRuntime()?.isReady() ?? false;
/** torch.cuda.is_available(), asynchronous: it opens the device when there is one. */
export const is_available = (): Promise<boolean> => init();
/** true once init() has opened the device */
export const is_initialized = (): boolean => isReady();
export const device_count = (): number => (isReady() ? 1 : 0);
/** Waits for every queued GPU command to finish. */
export const synchronize = async (): Promise<void> => { await loadedGpuRuntime()?.synchronize(); };
/** Releases the pool's cached, unused GPU buffers. */
export const empty_cache = (): void => { loadedGpuRuntime()?.emptyCache(); };
/** bytes held by live webgpu tensors */
export const memory_allocated = (): number => stats.gpuBytes;
export const max_memory_allocated = (): number => stats.gpuPeakBytes;
/** bytes of every GPU buffer held (live tensors', those awaiting a submit, the pool's), rounded up to their size classes */
export const memory_reserved = (): number => gpuCounters().reservedBytes;
/** counters: submits and dispatches recorded, buffers created */
export const stats_ = (): Readonly<typeof NO_STATS> => ({ ...gpuCounters() });
export { stats_ as stats };
/** torch.cuda.get_device_name(): what the adapter says it is (throws before init). */
export const get_device_name = (): string => { requireGpu(); return loadedGpuRuntime()!.adapterDescription(); };
