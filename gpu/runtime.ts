// The WebGPU runtime: one device, a pool of storage buffers, compute dispatches batched into few
// command submissions, cached pipelines and asynchronous readback.
//
// Every GPU tensor element is one 32-bit word (f32, i32, or u32 for uint8 and bool), so kernels
// index buffers by element and never need sub-word writes.
import { requestGpu } from './adapter.js';

// GPUBufferUsage / GPUMapMode values, so no runtime global is needed
const STORAGE = 0x80, COPY_SRC = 0x04, COPY_DST = 0x08, MAP_READ = 0x01, MAP_MODE_READ = 1;

let device: GPUDevice | null = null;
/** the GPU entry point and adapter stay referenced: Dawn in Node tears the device down when they are collected */
let keepAlive: unknown[] = [];
let initError: string | null = null;
let initializing: Promise<boolean> | null = null;

/** The limits kernels must respect (filled from the device at init). */
export const limits = {
  maxInvocations: 256,
  maxWorkgroupsPerDim: 65535,
  maxStorageBinding: 128 * 2 ** 20,
  maxWorkgroupStorage: 16384,
  maxWorkgroupSizeX: 256,
};

/**
 * GPU buffers this runtime holds (`buffers`: created and not destroyed; `reservedBytes`: their
 * sizes, in use by tensors, awaiting a submit, or parked in the pool) and the pool's share.
 */
export const gpuStats = { bytes: 0, peakBytes: 0, poolBytes: 0, buffers: 0, reservedBytes: 0, submits: 0, dispatches: 0 };

/** Opens the adapter and device once. Resolves false (and remembers why) when there is none. */
export function init(): Promise<boolean> {
  if (device) return Promise.resolve(true);
  initializing ??= (async () => {
    try {
      const gpu = await requestGpu();
      if (!gpu) { initError = 'this runtime has no WebGPU (no navigator.gpu, and not Node with the npm package `webgpu`)'; return false; }
      const adapter = await gpu.requestAdapter();
      if (!adapter) { initError = 'navigator.gpu.requestAdapter() found no adapter'; return false; }
      const al = adapter.limits;
      const want = {
        maxStorageBufferBindingSize: al.maxStorageBufferBindingSize,
        maxBufferSize: al.maxBufferSize,
        maxComputeInvocationsPerWorkgroup: al.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: al.maxComputeWorkgroupSizeX,
        maxComputeWorkgroupStorageSize: al.maxComputeWorkgroupStorageSize,
        maxStorageBuffersPerShaderStage: Math.min(al.maxStorageBuffersPerShaderStage, 10),
      };
      const d = await adapter.requestDevice({ requiredLimits: want });
      limits.maxInvocations = Math.min(256, d.limits.maxComputeInvocationsPerWorkgroup, d.limits.maxComputeWorkgroupSizeX);
      limits.maxWorkgroupsPerDim = d.limits.maxComputeWorkgroupsPerDimension;
      limits.maxStorageBinding = Math.min(d.limits.maxStorageBufferBindingSize, d.limits.maxBufferSize);
      limits.maxWorkgroupStorage = d.limits.maxComputeWorkgroupStorageSize;
      limits.maxWorkgroupSizeX = d.limits.maxComputeWorkgroupSizeX;
      keepAlive = [gpu, adapter];
      const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
      adapterName = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ') || 'unknown adapter';
      d.lost.then((info) => { if (device === d) { device = null; initError = `the WebGPU device was lost (${info.message || info.reason})`; } });
      device = d;
      return true;
    } catch (e) {
      initError = `WebGPU initialisation failed: ${(e as Error).message}`;
      return false;
    } finally {
      initializing = null;
    }
  })();
  return initializing;
}

export const isReady = (): boolean => device !== null;
let adapterName = '';
/** The adapter's vendor, architecture and description, as it reports them. */
export const adapterDescription = (): string => adapterName;

/** The device, or a clear error saying what is missing. */
export function gpu(): GPUDevice {
  if (device) return device;
  throw new Error(initError
    ? `webgpu: no device: ${initError}`
    : "webgpu: the device is not initialised: call `await torch.webgpu.init()` (or check `await torch.webgpu.is_available()`) before using device 'webgpu'");
}

// ------------------------------------------------------------------ buffer pool
const free = new Map<number, GPUBuffer[]>();
/** buffers released since the last submit: commands recorded but not submitted may still use them */
let pending: GPUBuffer[] = [];
const POOL_LIMIT = 512 * 2 ** 20;

/** Pool size classes: powers of two up to 4 MiB, then multiples of 4 MiB. */
function sizeClass(bytes: number): number {
  const b = Math.max(bytes, 16);
  if (b <= 4 * 2 ** 20) return 2 ** Math.ceil(Math.log2(b));
  return Math.ceil(b / (4 * 2 ** 20)) * 4 * 2 ** 20;
}

/** A storage buffer of at least `bytes` bytes (contents undefined). */
export function acquire(bytes: number): GPUBuffer {
  if (bytes > limits.maxStorageBinding) {
    throw new RangeError(`webgpu: a buffer of ${bytes} bytes exceeds this adapter's storage buffer limit (${limits.maxStorageBinding} bytes)`);
  }
  const size = sizeClass(bytes);
  const list = free.get(size);
  const reused = list?.pop();
  if (reused) { gpuStats.poolBytes -= size; return reused; }
  gpuStats.buffers++;
  gpuStats.reservedBytes += size;
  return gpu().createBuffer({ size, usage: STORAGE | COPY_SRC | COPY_DST });
}

/** Returns a buffer to the pool once the commands recorded so far have been submitted. */
export function release(buf: GPUBuffer): void {
  pending.push(buf);
}

function recyclePending(): void {
  for (const b of pending) {
    if (gpuStats.poolBytes + b.size > POOL_LIMIT) { destroy(b); continue; }
    let list = free.get(b.size);
    if (!list) free.set(b.size, (list = []));
    list.push(b);
    gpuStats.poolBytes += b.size;
  }
  pending = [];
}

function destroy(b: GPUBuffer): void {
  b.destroy();
  gpuStats.buffers--;
  gpuStats.reservedBytes -= b.size;
}

/** Frees every pooled buffer (torch.webgpu.empty_cache()). */
export function emptyCache(): void {
  flush();
  for (const list of free.values()) for (const b of list) destroy(b);
  free.clear();
  gpuStats.poolBytes = 0;
}

/** A new buffer holding `data` (uploaded before any command recorded after this call runs). */
export function upload(data: ArrayBufferView): GPUBuffer {
  const buf = acquire(data.byteLength);
  if (data.byteLength) gpu().queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
  return buf;
}

// ------------------------------------------------------------------ dispatch
const pipelines = new Map<string, GPUComputePipeline>();
let encoder: GPUCommandEncoder | null = null;
let pass: GPUComputePassEncoder | null = null;
let recorded = 0;
let flushQueued = false;
const MAX_BATCH = 128;

function pipeline(key: string, source: () => string): GPUComputePipeline {
  let p = pipelines.get(key);
  if (!p) {
    const d = gpu();
    const module = d.createShaderModule({ code: source(), label: key });
    p = d.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: key });
    pipelines.set(key, p);
  }
  return p;
}

function openEncoder(): GPUCommandEncoder {
  if (!encoder) {
    encoder = gpu().createCommandEncoder();
    if (!flushQueued) { flushQueued = true; queueMicrotask(() => { flushQueued = false; flush(); }); }
  }
  return encoder;
}

/** Ends the open compute pass, e.g. before a buffer copy. */
function endPass(): void {
  if (pass) { pass.end(); pass = null; }
}

/** Submits everything recorded so far. */
export function flush(): void {
  if (!encoder) { recyclePending(); return; } // everything recorded was submitted: released buffers are free
  endPass();
  gpu().queue.submit([encoder.finish()]);
  gpuStats.submits++;
  encoder = null;
  recorded = 0;
  recyclePending();
}

/** Parameters of one dispatch: 32-bit words (ints as is, floats as their bit patterns). */
export class Params {
  readonly words: number[] = [];
  private readonly f = new Float32Array(1);
  private readonly u = new Uint32Array(this.f.buffer);
  i(...v: number[]): this { for (const x of v) this.words.push(x | 0); return this; }
  f32(...v: number[]): this { for (const x of v) { this.f[0] = x; this.words.push(this.u[0]); } return this; }
}

/**
 * Records one compute dispatch of the pipeline `key` (WGSL from `source`, entry point `main`).
 * `buffers` bind to @binding(0..n-1) of group 0; `params`, when given, binds as the next binding
 * (`var<storage, read> P: array<u32>`). `groups` is the workgroup count, which is split over the
 * y dimension when it exceeds the per-dimension limit (kernels rebuild the linear id with
 * `wid.x + wid.y * nwg.x`).
 */
export function dispatch(key: string, source: () => string, buffers: GPUBuffer[], params: Params | null, groups: number | [number, number, number]): void {
  const d = gpu();
  const p = pipeline(key, source);
  const entries: GPUBindGroupEntry[] = buffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
  if (params) {
    const words = params.words.length ? params.words : [0];
    const pb = upload(new Int32Array(words));
    entries.push({ binding: buffers.length, resource: { buffer: pb, size: words.length * 4 } });
    release(pb);
  }
  const bind = d.createBindGroup({ layout: p.getBindGroupLayout(0), entries });
  let [x, y, z] = typeof groups === 'number' ? [groups, 1, 1] : groups;
  if (x === 0 || y === 0 || z === 0) return;
  if (typeof groups === 'number' && x > limits.maxWorkgroupsPerDim) {
    y = Math.ceil(x / limits.maxWorkgroupsPerDim);
    x = Math.ceil(x / y);
  }
  if (x > limits.maxWorkgroupsPerDim || y > limits.maxWorkgroupsPerDim || z > limits.maxWorkgroupsPerDim) {
    throw new RangeError(`webgpu: ${key}: dispatch of ${x}x${y}x${z} workgroups exceeds the adapter limit ${limits.maxWorkgroupsPerDim}`);
  }
  const enc = openEncoder();
  pass ??= enc.beginComputePass();
  pass.setPipeline(p);
  pass.setBindGroup(0, bind);
  pass.dispatchWorkgroups(x, y, z);
  gpuStats.dispatches++;
  if (++recorded >= MAX_BATCH) flush();
}

/** Fills `bytes` bytes of `buf` from `offset` with zeros, in command order. */
export function clear(buf: GPUBuffer, offset = 0, bytes = buf.size): void {
  if (!bytes) return;
  const enc = openEncoder();
  endPass();
  enc.clearBuffer(buf, offset, bytes);
}

/** Copies bytes between buffers, in command order. */
export function copyBuffer(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
  if (!bytes) return;
  const enc = openEncoder();
  endPass();
  enc.copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
}

/** Reads `bytes` bytes of `buf` from `offset` (after every command recorded so far). */
export async function read(buf: GPUBuffer, offset: number, bytes: number): Promise<ArrayBuffer> {
  if (bytes === 0) return new ArrayBuffer(0);
  const d = gpu();
  const staging = d.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
  const enc = openEncoder();
  endPass();
  enc.copyBufferToBuffer(buf, offset, staging, 0, bytes);
  flush();
  await staging.mapAsync(MAP_MODE_READ);
  const out = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  return out;
}

/** Waits until the GPU has finished everything submitted so far. */
export async function synchronize(): Promise<void> {
  flush();
  if (device) await device.queue.onSubmittedWorkDone();
}

// ------------------------------------------------------------------ WGSL helpers
/** Workgroup size for 1-D kernels. */
export const wg = (): number => Math.min(256, limits.maxInvocations);

/** The linear invocation id of a 1-D kernel dispatched with dispatch(..., groups). */
export const LINEAR_ID = 'let gid = wid.x + wid.y * nwg.x; let i = gid * WG + lid.x;';
export const MAIN_1D = (wgSize: number) =>
  `const WG: u32 = ${wgSize}u;\n@compute @workgroup_size(${wgSize}) fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u)`;
