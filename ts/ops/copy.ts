// Copies and conversions: contiguous copies and in-place writes of views (any dtype, broadcast),
// dtype casts, device moves, and the Tensor methods to(), cpu(), to_async(), float(), ...
import { Tensor } from '../tensor.js';
import type { DType, DTypeLike } from '../dtype.js';
import { toDType } from '../dtype.js';
import type { DeviceType } from '../backend/storage.js';
import { backendOf, backendNamed } from '../backend/dispatch.js';
import { isOn, needsAsyncRead, checkSyncMove, moveTo, moveToAsync } from '../backend/move.js';
import { isDeviceString, parseDevice, type Device } from '../device.js';
import { applyFunction } from '../autograd/function.js';
import { is_grad_enabled } from '../autograd/grad_mode.js';
import { installMethods } from './methods.js';

/** A new contiguous tensor on x's device holding x as `dtype`, broadcast to `shape`. */
export function copyTensor(x: Tensor, dtype: DType = x.dtype, shape: readonly number[] = x.shape): Tensor {
  return new Tensor(backendOf(x).copy(x, dtype, shape), shape);
}

/** A contiguous copy of x's values laid out as `shape` (same element count): reshape's copy. */
export function copyAs(x: Tensor, shape: readonly number[]): Tensor {
  return new Tensor(backendOf(x).copy(x, x.dtype, x.shape), shape);
}

/** A new tensor with x's values on `device` (a synchronous read of x: from the CPU). No autograd. */
export function toDevice(x: Tensor, device: DeviceType = 'webgpu', op = 'to'): Tensor {
  return new Tensor(moveTo(x, device, op), x.shape);
}

/** x cast to `dtype` (a copy, recorded for autograd). */
export function _to_dtype(x: Tensor, dtype: DType): Tensor {
  return applyFunction('ToCopyBackward0', (ctx, a: Tensor) => {
    ctx.src = a.dtype;
    return copyTensor(a, dtype);
  }, (ctx, g) => [g.to(ctx.src as DType)], [x]);
}

/** x copied to another device. Its backward would move the gradient back, so it needs synchronous reads there. */
function _to_device(x: Tensor, device: DeviceType): Tensor {
  if (x.requires_grad && is_grad_enabled() && !backendNamed(device).syncReads) {
    throw new Error(`to('${device}'): copying a tensor that requires grad to ${device} is not differentiable here (its backward would need a synchronous GPU read); `
      + `move leaves instead: \`x.detach().to('${device}').requires_grad_()\`, or create them on the device with \`{ device: '${device}' }\``);
  }
  return toDevice(x, device);
}

export type ToArg = DTypeLike | string | Device | Tensor | { dtype?: DTypeLike; device?: string | Device };
export interface ToOpts { dtype?: DTypeLike; copy?: boolean }

/** The dtype, device and copy flag that to(...) names (this tensor's own where it names none). */
function toArgs(x: Tensor, arg: ToArg, opts?: ToOpts): { dtype: DType; device: DeviceType; copy: boolean } {
  let dtype: DType = x.dtype;
  let device: DeviceType = x.device.type;
  if (arg instanceof Tensor) { dtype = arg.dtype; device = arg.device.type; }
  else if (typeof arg === 'string' && !isDeviceString(arg)) dtype = toDType(arg, 'to');
  else if (typeof arg === 'string' || (arg && typeof arg === 'object' && 'type' in arg && !('dtype' in arg))) {
    device = parseDevice(arg as string | Device, 'to');
    if (opts?.dtype) dtype = toDType(opts.dtype, 'to');
  } else if (arg && typeof arg === 'object') {
    const o = arg as { dtype?: DTypeLike; device?: string | Device };
    if (o.device) device = parseDevice(o.device, 'to');
    if (o.dtype) dtype = toDType(o.dtype, 'to');
  }
  return { dtype, device, copy: opts?.copy ?? false };
}

/**
 * to(dtype), to(device), to(tensor), to({ device, dtype, copy }). Moving to webgpu is synchronous
 * (an upload); moving back is asynchronous, so it is `await t.cpu()`.
 */
export function to(x: Tensor, arg: ToArg, opts?: ToOpts): Tensor {
  const { dtype, device, copy } = toArgs(x, arg, opts);
  if (isOn(x, device)) return dtype === x.dtype && !copy ? x : _to_dtype(x, dtype);
  checkSyncMove(x, device);
  if (dtype === x.dtype) return _to_device(x, device);
  // cast where the tensor is (webgpu holds no float64), then move; the cast is a temporary
  const c = _to_dtype(x, dtype);
  try { return _to_device(c, device); } finally { c.dispose(); }
}

/** to() that also moves tensors off devices read asynchronously (webgpu to the CPU). */
export async function to_async(x: Tensor, arg: ToArg, opts?: ToOpts): Promise<Tensor> {
  const { dtype, device } = toArgs(x, arg, opts);
  if (!needsAsyncRead(x, device)) return to(x, arg, opts);
  const moved = new Tensor(await moveToAsync(x, device), x.shape);
  if (dtype === moved.dtype) return moved;
  try { return _to_dtype(moved, dtype); } finally { moved.dispose(); }
}

declare module '../tensor.js' {
  interface Tensor {
    /** x.type(): the type string ('torch.FloatTensor'); x.type(dtype) (or 'torch.FloatTensor'): x converted to it. */
    type(): string;
    type(dtype: DTypeLike | string | { dtype?: DTypeLike | string }): Tensor;
    /**
     * to(dtype), to(device), to(tensor), to({ device, dtype, copy }). Moving to webgpu is synchronous
     * (an upload); moving back is asynchronous, so it is `await t.cpu()`.
     */
    to(arg: ToArg, opts?: ToOpts): Tensor;
    /** to() that also moves webgpu tensors to the CPU: `await t.to_async('cpu')`. */
    to_async(arg: ToArg, opts?: ToOpts): Promise<Tensor>;
    /** A CPU copy of a webgpu tensor (or this tensor, when it is on the CPU). Always awaited. */
    cpu(): Promise<Tensor>;
    webgpu(): Tensor;
    float(): Tensor;
    double(): Tensor;
    int(): Tensor;
    long(): Tensor;
    bool(): Tensor;
    byte(): Tensor;
    type_as(other: Tensor): Tensor;
  }
}

const TENSOR_TYPES: Record<string, DType> = {
  FloatTensor: 'float32', DoubleTensor: 'float64', IntTensor: 'int32', LongTensor: 'int32', ByteTensor: 'uint8', BoolTensor: 'bool',
};
/** x.type(): 'torch.FloatTensor'; x.type(dtype) / x.type('torch.FloatTensor'): x as that dtype (x itself when it already is). */
function type(x: Tensor, dtype?: DTypeLike | string | { dtype?: DTypeLike | string }): string | Tensor {
  const d = dtype !== null && typeof dtype === 'object' ? dtype.dtype : dtype;
  if (d === undefined || d === null) return x.typeName();
  const name = typeof d === 'string' ? d.replace(/^torch\./, '').replace(/^cuda\./, '') : d;
  const target = typeof name === 'string' && name in TENSOR_TYPES ? TENSOR_TYPES[name] : toDType(d, 'type');
  return target === x.dtype ? x : _to_dtype(x, target);
}

installMethods({
  type: type as never,
  to,
  to_async,
  cpu: (x) => to_async(x, 'cpu'),
  webgpu: (x) => to(x, 'webgpu'),
  float: (x) => to(x, 'float32'),
  double: (x) => to(x, 'float64'),
  int: (x) => to(x, 'int32'),
  long: (x) => to(x, 'int32'),
  bool: (x) => to(x, 'bool'),
  byte: (x) => to(x, 'uint8'),
  type_as: (x, o) => to(x, o.dtype),
});
