// Data movement on views: in-place writes between views, and device moves, the one place that
// compares devices. The op layer asks here whether a tensor is on a device already and how to get
// it elsewhere; it never branches on a device itself.
import type { DType } from '../dtype.js';
import type { DeviceType, Storage } from './storage.js';
import type { View } from './view.js';
import { backendOf, backendNamed } from './dispatch.js';

/** Writes `src` (broadcast to dst's shape, converted to dst's dtype) into the view `dst`. */
export function writeView(dst: View, src: View): void {
  backendOf(dst).write(dst, src);
}

/** True when `v` lives on `device` (nothing to move). */
export const isOn = (v: View, device: DeviceType): boolean => v._storage.device === device;

/** True when moving `v` to `device` needs an asynchronous read (its backend has no synchronous reads: webgpu). */
export const needsAsyncRead = (v: View, device: DeviceType): boolean => !isOn(v, device) && !backendOf(v).syncReads;

/** Throws when moving `v` to `device` needs an asynchronous read, pointing at `await t.cpu()`. */
export function checkSyncMove(v: View, device: DeviceType, op = 'to'): void {
  if (needsAsyncRead(v, device)) {
    throw new Error(`${op}('${device}'): reading a ${v._storage.device} tensor back is asynchronous: use \`await t.cpu()\` (or \`await t.to_async('${device}')\`)`);
  }
}

/** A new contiguous storage on `device` holding v's values, read synchronously (checkSyncMove first). */
export function moveTo(v: View, device: DeviceType, op = 'to'): Storage {
  checkSyncMove(v, device, op);
  return backendNamed(device).upload(backendOf(v).readSync(v, op), v.dtype);
}

/** moveTo for any pair of devices: reads v asynchronously where its backend needs that. */
export async function moveToAsync(v: View, device: DeviceType): Promise<Storage> {
  return backendNamed(device).upload(await backendOf(v).read(v), v.dtype);
}

/** Throws (the device's own error) when `device` cannot hold `dtype` (webgpu has no float64). */
export function checkDType(device: DeviceType, dtype: DType, op: string): void {
  backendNamed(device).empty(dtype, 0, op).free();
}
