// Devices, as in PyTorch: torch.device('cpu' | 'webgpu'), parsing the device arguments that
// creation ops, Tensor.to and Module.to take, and PyTorch's mixed-device error.
import type { DeviceType } from './backend/storage.js';
import { loadedGpuRuntime, requireGpu } from './backend/gpu_runtime.js';
import { mixedDeviceError } from './backend/dispatch.js';

export interface Device { readonly type: DeviceType; readonly index?: number; toString(): string }

/** torch.device objects: one frozen instance per type, of a class of their own, so an argument
 *  binder can tell a device from a trailing options object (ts/ops/signature.ts). */
class TorchDevice implements Device {
  constructor(readonly type: DeviceType) { Object.freeze(this); }
  toString(): string { return this.type; }
}

const DEVICES: Record<DeviceType, Device> = { cpu: new TorchDevice('cpu'), webgpu: new TorchDevice('webgpu') };

export const isDeviceString = (s: string): boolean => /^(cpu|webgpu|cuda|mps|gpu)(:\d+)?$/.test(s);

/** The device type named by a device argument; throws for unknown names and unopened GPUs. */
export function parseDevice(d: string | Device, op: string): DeviceType {
  const s = typeof d === 'string' ? d : d?.type;
  const m = /^([a-z]+)(?::(\d+))?$/.exec(String(s));
  const kind = m?.[1];
  if (kind === 'cpu') return 'cpu';
  if (kind === 'webgpu') {
    if (m![2] !== undefined && m![2] !== '0') throw new Error(`${op}: webgpu device index ${m![2]} is out of range (one webgpu device)`);
    if (!loadedGpuRuntime()?.isReady()) requireGpu(); // throws the reason
    return 'webgpu';
  }
  if (kind === 'cuda') throw new Error(`${op}: Torch not compiled with CUDA enabled (webtorch's GPU device is 'webgpu')`);
  throw new Error(`${op}: Expected one of cpu, webgpu device type at start of device string: ${String(s)}`);
}

/** torch.device('cpu') / torch.device('webgpu') */
export function device(type: string | Device): Device {
  const s = typeof type === 'string' ? type : type.type;
  const m = /^([a-z]+)(?::(\d+))?$/.exec(s);
  if (!m || (m[1] !== 'cpu' && m[1] !== 'webgpu')) {
    if (m?.[1] === 'cuda') throw new Error("Torch not compiled with CUDA enabled (webtorch's GPU device is 'webgpu')");
    throw new Error(`Expected one of cpu, webgpu device type at start of device string: ${s}`);
  }
  return DEVICES[m[1] as DeviceType];
}

export const deviceOf = (t: DeviceType): Device => DEVICES[t];

export { mixedDeviceError };
