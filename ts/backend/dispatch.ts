// The one place where the op layer learns which device runs an op: each op hands its tensor
// operands here once and gets back the backend to call. Nothing else under ts/ branches on devices.
import type { DeviceType } from './storage.js';
import type { View } from './view.js';
import type { Backend } from './backend.js';
import { wasm } from './wasm/index.js';

// The wasm backend is always here; the webgpu backend (gpu/index.ts with its WGSL) is loaded and
// registered by torch.webgpu.init(), so a page that never opens the GPU never downloads it. No
// webgpu tensor can exist before init() resolves.
const BACKENDS: Partial<Record<DeviceType, Backend>> = { cpu: wasm };

/** Makes `backend` the one that runs ops on `device` (torch.webgpu.init() registers webgpu). */
export function registerBackend(device: DeviceType, backend: Backend): void { BACKENDS[device] = backend; }

function loaded(device: DeviceType): Backend {
  const b = BACKENDS[device];
  if (!b) throw new Error(`device '${device}' is not initialized: call \`await torch.webgpu.init()\` first`);
  return b;
}

/** The backend of a device. */
export const backendNamed = (device: DeviceType): Backend => loaded(device);

/** The backend that holds `v`'s storage. */
export const backendOf = (v: View): Backend => loaded(v._storage.device);

/**
 * The device check of every op: the backend of the operands' device (nulls skipped; none, or all
 * on the CPU, is the wasm backend), or PyTorch's mixed-device error. With `cpuScalars`, 0-dim CPU
 * tensors may sit beside device ones, as PyTorch allows CPU scalars beside CUDA tensors.
 */
export function backendFor(op: string, operands: readonly (View | null | undefined)[], cpuScalars = false): Backend {
  let device: DeviceType = 'cpu';
  for (const v of operands) if (v && v._storage.device !== 'cpu') { device = v._storage.device; break; }
  if (device === 'cpu') return wasm;
  for (const v of operands) {
    if (v && v._storage.device !== device && !(cpuScalars && v.shape.length === 0)) throw mixedDeviceError(op, device, v._storage.device);
  }
  return loaded(device);
}

/** PyTorch's error for an op whose tensors are on different devices. */
export function mixedDeviceError(op: string, a: DeviceType, b: DeviceType): Error {
  const [x, y] = a === 'cpu' ? [b, a] : [a, b];
  return new Error(`Expected all tensors to be on the same device, but found at least two devices, ${x}:0 and ${y}! (when checking arguments for ${op})`);
}
