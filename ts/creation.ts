// Creation ops: tensor() with dtype inference, zeros/ones/full/empty, ranges, eye, random
// tensors and the *_like forms. Options follow PyTorch's keywords: { dtype, requires_grad, device, generator }.
import { Tensor } from './tensor.js';
import type { DType, DTypeLike, TypedArray } from './dtype.js';
import { arrayFor, get_default_dtype, isFloating, toDType } from './dtype.js';
import { numel, shapeStr, sizeArgs } from './shape.js';
import { randomFill, randpermData, type Generator, default_generator } from './random.js';
import { parseDevice, type Device } from './device.js';
import { isOn, moveTo } from './backend/move.js';
import { backendNamed } from './backend/dispatch.js';
import { installMethods } from './ops/methods.js';

export interface CreateOpts { dtype?: DTypeLike | null; requires_grad?: boolean; device?: string | Device | null; generator?: Generator }

/** Creation options that put a new tensor beside `x`: its dtype and device. */
export const on = (x: Tensor): { dtype: DType; device: Device } => ({ dtype: x.dtype, device: x.device });

function checkDevice(op: string, o: CreateOpts): void {
  if (o.device) parseDevice(o.device, op);
}

/** Puts a freshly made tensor on the requested device and sets requires_grad. */
function finish(t: Tensor, o: CreateOpts): Tensor {
  const device = o.device ? parseDevice(o.device, 'tensor') : null;
  if (device && !isOn(t, device)) {
    const moved = new Tensor(moveTo(t, device, 'tensor'), t.shape);
    t.dispose();
    t = moved;
  }
  if (o.requires_grad) t.requires_grad_(true);
  return t;
}

/** Splits f(2, 3, {opts}) / f([2, 3], {opts}) into size and options. */
function sizeAndOpts(args: unknown[], op: string): [number[], CreateOpts] {
  let o: CreateOpts = {};
  const last = args[args.length - 1];
  if (last && typeof last === 'object' && !Array.isArray(last)) { o = last as CreateOpts; args = args.slice(0, -1); }
  // size given by name: zeros({ size: [2, 3] })
  const named = (o as { size?: number[] | number }).size;
  if (named !== undefined) {
    if (args.length) throw new TypeError(`${op}() got multiple values for argument 'size'`);
    args = [Array.isArray(named) ? named : [named]];
    const { size: _s, ...rest } = o as CreateOpts & { size?: unknown }; void _s; o = rest;
  }
  checkDevice(op, o);
  return [sizeArgs(args, op), o];
}

const dt = (o: CreateOpts, def: DType, op: string): DType => (o.dtype ? toDType(o.dtype, op) : def);

type Nested = number | boolean | Nested[];

/** torch.tensor(data, { dtype, requires_grad }) from numbers, booleans, nested arrays or typed arrays */
export function tensor(data: Nested | TypedArray | Tensor | ArrayLike<number>, opts: CreateOpts = {}): Tensor {
  checkDevice('tensor', opts);
  if (data instanceof Tensor) {
    // a copy on data's device unless another is named
    return finish(data.detach().clone().to(opts.dtype ? toDType(opts.dtype) : data.dtype), { ...opts, device: opts.device ?? data.device });
  }
  if (ArrayBuffer.isView(data)) {
    const d = data as unknown as TypedArray;
    const inferred: DType = d instanceof Float32Array ? 'float32' : d instanceof Float64Array ? 'float64' : d instanceof Uint8Array ? 'uint8' : 'int32';
    const dtype = dt(opts, inferred, 'tensor');
    const out = arrayFor(dtype, d.length);
    out.set(d as ArrayLike<number>);
    return finish(Tensor._fromData(out, dtype, [d.length]), opts);
  }
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) { shape.push(probe.length); probe = probe[0]; }
  if (probe instanceof Tensor && shape.length && probe.ndim !== 0 && probe.numel() !== 1) throw new TypeError(`tensor(): only one element tensors can be converted to Python scalars (got one of shape ${shapeStr(probe.shape)}); use torch.stack to join tensors`);
  const n = numel(shape);
  const flat: (number | boolean)[] = new Array(n);
  let k = 0, allBool = true, allInt = true;
  const walk = (v: unknown, dim: number): void => {
    // a one-element tensor in the list counts as its number (torch.tensor([t0, t1]))
    if (v instanceof Tensor) {
      if (v.numel() !== 1 || dim !== shape.length) throw new TypeError(`tensor(): only one element tensors can be converted to Python scalars (got one of shape ${shapeStr(v.shape)})`);
      if (isFloating(v.dtype)) allInt = false;
      if (v.dtype !== 'bool') allBool = false;
      v = v.itemSync();
    }
    if (dim === shape.length) {
      if (typeof v === 'boolean') { allInt = allInt && true; }
      else if (typeof v === 'number') { allBool = false; if (!Number.isInteger(v)) allInt = false; }
      else throw new TypeError(`tensor(): could not infer dtype of ${v === null ? 'None' : typeof v}`);
      flat[k++] = v as number | boolean;
      return;
    }
    if (!Array.isArray(v)) throw new TypeError(`tensor(): expected sequence of length ${shape[dim]} at dim ${dim} (got a scalar)`);
    if (v.length !== shape[dim]) throw new RangeError(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${v.length})`);
    for (const e of v) walk(e, dim + 1);
  };
  walk(data, 0);
  const inferred: DType = n === 0 ? get_default_dtype() : allBool ? 'bool' : allInt ? 'int32' : get_default_dtype();
  const dtype = dt(opts, inferred, 'tensor');
  const out = arrayFor(dtype, n);
  for (let i = 0; i < n; i++) out[i] = +flat[i];
  if (dtype === 'bool') for (let i = 0; i < n; i++) out[i] = out[i] ? 1 : 0;
  return finish(Tensor._fromData(out, dtype, shape), opts);
}
/** torch.as_tensor: like tensor() */
export const as_tensor = tensor;
export const from_numpy = tensor;

export function full(size: number[] | number | (CreateOpts & { size?: number[] | number; fill_value?: number | boolean }), fill_value?: number | boolean | CreateOpts, opts: CreateOpts = {}): Tensor {
  // keywords: full({ size, fill_value }), full([2], { fill_value: 1 })
  if (size !== null && typeof size === 'object' && !Array.isArray(size)) { const { size: s, fill_value: f, ...rest } = size; return full(s as number[], f as number, { ...rest, ...opts }); }
  if (fill_value !== null && typeof fill_value === 'object') { const { fill_value: f, ...rest } = fill_value as CreateOpts & { fill_value?: number | boolean }; return full(size, f as number, { ...rest, ...opts }); }
  if (size === undefined || fill_value === undefined) throw new TypeError("full() missing required arguments 'size' and 'fill_value'");
  checkDevice('full', opts);
  const shape = sizeArgs(Array.isArray(size) ? [size] : [size], 'full');
  const def: DType = typeof fill_value === 'boolean' ? 'bool' : Number.isInteger(fill_value) ? 'int32' : get_default_dtype();
  return filled(shape, +fill_value, dt(opts, def, 'full'), opts);
}

/** A tensor of `shape` holding `value` everywhere, filled by the device's backend (no host array on a GPU). */
function filled(shape: number[], value: number, dtype: DType, o: CreateOpts): Tensor {
  const device = o.device ? parseDevice(o.device, 'full') : 'cpu';
  // a bool tensor holds 0 or 1: any nonzero value (NaN too) is true, as in PyTorch
  const v = dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
  return finish(new Tensor(backendNamed(device).full(dtype, numel(shape), v), shape), { ...o, device: null });
}

export function zeros(...args: unknown[]): Tensor {
  const [shape, o] = sizeAndOpts(args, 'zeros');
  return filled(shape, 0, dt(o, get_default_dtype(), 'zeros'), o);
}
export function ones(...args: unknown[]): Tensor {
  const [shape, o] = sizeAndOpts(args, 'ones');
  return filled(shape, 1, dt(o, get_default_dtype(), 'ones'), o);
}
/** torch.empty: webtorch zero-fills (uninitialized memory is not observable in JS) */
export function empty(...args: unknown[]): Tensor { return zeros(...args); }

function likeOpts(x: Tensor, o: CreateOpts, op = 'zeros_like'): [number[], CreateOpts] {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}(): argument 'input' (position 1) must be Tensor, not ${x === null || x === undefined ? 'NoneType' : typeof x === 'string' ? 'str' : typeof x}`);
  return [[...x.shape], { ...o, dtype: o.dtype ?? x.dtype, device: o.device ?? x.device.type }];
}
export const zeros_like = (x: Tensor, o: CreateOpts = {}) => { const [s, p] = likeOpts(x, o); return zeros(s, p); };
export const ones_like = (x: Tensor, o: CreateOpts = {}) => { const [s, p] = likeOpts(x, o, 'ones_like'); return ones(s, p); };
export const empty_like = (x: Tensor, o: CreateOpts = {}) => { const [s, p] = likeOpts(x, o, 'empty_like'); return zeros(s, p); };
export const full_like = (x: Tensor, v: number | boolean, o: CreateOpts = {}) => { const [s, p] = likeOpts(x, o, 'full_like'); return full(s, v, p); };
export const rand_like = (x: Tensor, o: CreateOpts = {}) => { const [s, p] = likeOpts(x, o); return rand(s, p); };
export const randn_like = (x: Tensor, o: CreateOpts = {}) => { const [s, p] = likeOpts(x, o); return randn(s, p); };
export function randint_like(x: Tensor, low: number, high?: number, o: CreateOpts = {}): Tensor {
  if (high === undefined) { high = low; low = 0; }
  const [s, p] = likeOpts(x, o);
  return randint(low, high, s, p);
}

/** arange(end) / arange(start, end, step?) / arange({start, end, step}) */
export function arange(...args: unknown[]): Tensor {
  let o: CreateOpts & { start?: number; end?: number; step?: number } = {};
  if (args.length && typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null) o = args.pop() as typeof o;
  checkDevice('arange', o);
  let nums = args as number[];
  if (!nums.length && o.end !== undefined) nums = [o.start ?? 0, o.end, o.step ?? 1];
  if (nums.some((v) => typeof v !== 'number')) throw new TypeError(`arange(): expected numbers, got ${JSON.stringify(args)}`);
  const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw new RangeError('arange: step must be nonzero');
  if ((step > 0 && end < start) || (step < 0 && end > start)) throw new RangeError('arange: upper bound and larger bound inconsistent with step sign');
  const allInt = [start, end, step].every(Number.isInteger);
  const dtype = dt(o, allInt ? 'int32' : get_default_dtype(), 'arange');
  const n = Math.max(0, Math.ceil((end - start) / step));
  const a = arrayFor(dtype, n);
  for (let i = 0; i < n; i++) a[i] = start + i * step;
  return finish(Tensor._fromData(a, dtype, [n]), o);
}

export function linspace(start: number, end: number, steps: number | (CreateOpts & { steps?: number }), opts: CreateOpts = {}): Tensor {
  if (typeof steps === 'object') { opts = steps; steps = steps.steps as number; }
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError('linspace: number of steps must be non-negative');
  const dtype = dt(opts, get_default_dtype(), 'linspace');
  const a = arrayFor(dtype, steps);
  if (steps === 1) a[0] = start;
  else if (steps > 1) {
    const step = (end - start) / (steps - 1);
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) a[i] = i < half ? start + step * i : end - step * (steps - i - 1);
  }
  return finish(Tensor._fromData(a, dtype, [steps]), opts);
}

export function eye(n: number, m?: number | CreateOpts, opts: CreateOpts = {}): Tensor {
  if (typeof m === 'object') { opts = m; m = undefined; }
  const cols = m ?? n;
  if (n < 0 || cols < 0) throw new RangeError(`eye: n and m must be non-negative, got ${n} and ${cols}`);
  const dtype = dt(opts, get_default_dtype(), 'eye');
  const a = arrayFor(dtype, n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) a[i * cols + i] = 1;
  return finish(Tensor._fromData(a, dtype, [n, cols]), opts);
}

function floatDtype(o: CreateOpts, op: string): DType {
  const d = dt(o, get_default_dtype(), op);
  if (!isFloating(d)) throw new TypeError(`${op}: expected a floating point dtype, got ${d}`);
  return d;
}
export function rand(...args: unknown[]): Tensor {
  const [shape, o] = sizeAndOpts(args, 'rand');
  return finish(randomFill('uniform', shape, floatDtype(o, 'rand'), 0, 1, o.generator ?? default_generator), o);
}
export function randn(...args: unknown[]): Tensor {
  const [shape, o] = sizeAndOpts(args, 'randn');
  return finish(randomFill('normal', shape, floatDtype(o, 'randn'), 0, 1, o.generator ?? default_generator), o);
}
/** randint(high, size) or randint(low, high, size), integers in [low, high) */
export function randint(...args: unknown[]): Tensor {
  let o: CreateOpts = {};
  const last = args[args.length - 1];
  if (last && typeof last === 'object' && !Array.isArray(last)) { o = last as CreateOpts; args = args.slice(0, -1); }
  // keywords: randint(10, { size: [3] }), randint({ low, high, size })
  const { low: kl, high: kh, size: ks, ...rest } = o as CreateOpts & { low?: number; high?: number; size?: number[] | number };
  o = rest;
  let size = Array.isArray(args[args.length - 1]) ? args[args.length - 1] as number[] : undefined;
  const nums = (size ? args.slice(0, -1) : args) as number[];
  if (ks !== undefined) size = Array.isArray(ks) ? ks : [ks];
  let low = kl ?? 0, high = kh as number;
  if (kh === undefined) { if (nums.length >= 2) [low, high] = nums; else high = nums[0]; } else if (kl === undefined && nums.length) low = nums[0];
  if (!Array.isArray(size)) throw new TypeError('randint(): size must be a list of ints, as in randint(low, high, [sizes])');
  if (!(high > low)) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  return finish(randomFill('int', sizeArgs([size], 'randint'), dt(o, 'int32', 'randint'), low, high, o.generator ?? default_generator), o);
}
export function randperm(n: number, o: CreateOpts = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randperm: n must be non-negative, got ${n}`);
  const t = Tensor._fromData(randpermData(n, o.generator ?? default_generator), 'int32', [n]);
  return finish(o.dtype ? t.to(toDType(o.dtype)) : t, o);
}

export function scalar_tensor(v: number | boolean, o: CreateOpts = {}): Tensor {
  return full([], v, { dtype: o.dtype ?? get_default_dtype(), ...o });
}

export { shapeStr };

// ------------------------------------------------------------------ Tensor.new_*
/** x.new_*(...): options default to x's dtype and device (PyTorch's Tensor.new_zeros etc.) */
const newOpts = (x: Tensor, o: CreateOpts = {}): CreateOpts => ({ ...o, dtype: o.dtype ?? x.dtype, device: o.device ?? x.device });
function splitSize(args: unknown[]): [unknown[], CreateOpts] {
  const last = args[args.length - 1];
  return last && typeof last === 'object' && !Array.isArray(last) ? [args.slice(0, -1), last as CreateOpts] : [args, {}];
}

declare module './tensor.js' {
  interface Tensor {
    /** x.new_zeros(size, { dtype, device, requires_grad }): x's dtype and device unless given */
    new_zeros(...size: (number | number[] | CreateOpts)[]): Tensor;
    new_ones(...size: (number | number[] | CreateOpts)[]): Tensor;
    new_empty(...size: (number | number[] | CreateOpts)[]): Tensor;
    new_full(size: number[], fill_value: number | boolean, opts?: CreateOpts): Tensor;
    /** x.new_tensor(data, opts): torch.tensor(data) with x's dtype and device unless given */
    new_tensor(data: Nested | TypedArray | Tensor | ArrayLike<number>, opts?: CreateOpts): Tensor;
  }
}

installMethods({
  new_zeros: (x, ...args) => { const [s, o] = splitSize(args); return zeros(...s, newOpts(x, o)); },
  new_ones: (x, ...args) => { const [s, o] = splitSize(args); return ones(...s, newOpts(x, o)); },
  new_empty: (x, ...args) => { const [s, o] = splitSize(args); return empty(...s, newOpts(x, o)); },
  new_full: (x, size, v, o = {}) => full(size, v, newOpts(x, o)),
  new_tensor: (x, data, o = {}) => tensor(data, newOpts(x, o)),
});
