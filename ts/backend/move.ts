// Device-generic data movement, for the op layer: a contiguous copy of a view (any dtype,
// broadcast), writing one view into another, and copies between devices.
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import type { DeviceType } from './storage.js';
import { backendOf, backendNamed } from './dispatch.js';

/** A new contiguous tensor on x's device holding x as `dtype`, broadcast to `shape`. */
export function copyTensor(x: Tensor, dtype: DType = x.dtype, shape: readonly number[] = x.shape): Tensor {
  return new Tensor(backendOf(x).copy(x, dtype, shape), shape);
}

/** A contiguous copy of x's values laid out as `shape` (same element count): reshape's copy. */
export function copyAs(x: Tensor, shape: readonly number[]): Tensor {
  return new Tensor(backendOf(x).copy(x, x.dtype, x.shape), shape);
}

/** Writes `src` (broadcast to dst's shape, converted to dst's dtype) into the view `dst`. */
export function writeView(dst: Tensor, src: Tensor): void {
  backendOf(dst).write(dst, src);
}

/** A new tensor with x's values on `device` (a synchronous read of x: CPU to device uploads). */
export function toDevice(x: Tensor, device: DeviceType = 'webgpu'): Tensor {
  return new Tensor(backendNamed(device).upload(backendOf(x).readSync(x, 'to'), x.dtype), x.shape);
}
