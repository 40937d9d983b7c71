// The webgpu runtime (gpu/runtime.ts: device, buffer pool, dispatch), loaded on demand: nothing
// imports it statically above the gpu/ folder, so the browser build keeps it, with the webgpu
// backend, in the chunk that `torch.webgpu.init()` fetches. Before that, there is no device.
export type GpuRuntime = typeof import('../../gpu/runtime.js');

let runtime: GpuRuntime | null = null;

/** The loaded runtime, or null before torch.webgpu.init() has loaded it. */
export const loadedGpuRuntime = (): GpuRuntime | null => runtime;

/** Loads the runtime (once). */
export async function loadGpuRuntime(): Promise<GpuRuntime> {
  return (runtime ??= await import('../../gpu/runtime.js'));
}

/** Throws PyTorch-style why device 'webgpu' cannot be used now (the runtime's reason once loaded). */
export function requireGpu(): void {
  if (runtime) { runtime.gpu(); return; }
  throw new Error("webgpu: the device is not initialised: call `await torch.webgpu.init()` (or check `await torch.webgpu.is_available()`) before using device 'webgpu'");
}
