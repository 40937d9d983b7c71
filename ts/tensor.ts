// The Tensor: a strided view of a Storage, plus its autograd state. Ops live in ts/ops/; the
// methods here only forward to them, so each op is written once.
import type { DType, DTypeLike, TypedArray } from './dtype.js';
import { isFloating, toDType, ITEMSIZE } from './dtype.js';
import { Storage, recycle, type DeviceType } from './backend/storage.js';
import { backendOf } from './backend/dispatch.js';
import { isDeviceString, parseDevice, deviceOf, type Device } from './device.js';
import { contiguousStrides, numel, shapeStr, wrapDim } from './shape.js';
import { isContiguousView } from './backend/view.js';
import { bytesOf } from './backend/wasm/scratch.js';
import { accumulateGradNode, Node, type Hook } from './autograd/node.js';
import { no_grad } from './autograd/grad_mode.js';
import { runBackward } from './autograd/engine.js';
import { trackInScope, keep } from './memory.js';
import { formatTensor } from './format.js';
import { ones_like } from './creation.js';
import * as P from './ops/pointwise.js';
import * as R from './ops/reduce.js';
import * as V from './ops/views.js';
import * as L from './ops/linalg.js';
import * as I from './ops/indexing.js';
import type { Scalar, TensorOrScalar, ReduceOpts, DimArg } from './ops/types.js';


let nextId = 0;
export const _tensorsCreated = (): number => nextId;

const CPU = deviceOf('cpu'), WEBGPU = deviceOf('webgpu');

/** One tensor lets go of `s`; the last one releases it now (CPU bytes to the reuse pool, a GPU buffer to the device's). */
function dropStorage(s: Storage): void {
  if (!s.account.drop()) return;
  s.unregister();
  recycle(s.data);
  s.data = new Float32Array(0);
}

export class Tensor {
  _storage: Storage;
  readonly shape: number[];
  _strides: number[];
  _offset: number;
  readonly dtype: DType;
  /** the tensor whose storage this view shares (null for a base tensor) */
  _base: Tensor | null = null;
  private _grad: Tensor | null = null;
  grad_fn: Node | null = null;
  _output_nr = 0;
  private _requiresGrad = false;
  private _acc: Node | null = null;
  _hooks: Hook[] = [];
  _retainsGrad = false;
  private _disposed = false;
  /** creation order, so the backward engine can tell which gradients it made */
  readonly _id = nextId++;

  constructor(storage: Storage, shape: readonly number[], strides?: readonly number[], offset = 0) {
    this._storage = storage;
    this.shape = [...shape];
    this._strides = strides ? [...strides] : contiguousStrides(shape);
    this._offset = offset;
    this.dtype = storage.dtype;
    storage.account.retain();
    trackInScope(this);
  }

  /** A new tensor owning `data` (contiguous, of `shape`). */
  static _fromData(data: TypedArray, dtype: DType, shape: readonly number[]): Tensor {
    return new Tensor(new Storage(data, dtype), shape);
  }

  // ---------------------------------------------------------------- metadata
  get device(): Device { return this._storage.device === 'webgpu' ? WEBGPU : CPU; }
  get is_webgpu(): boolean { return this._storage.device === 'webgpu'; }
  get is_cuda(): boolean { return false; }
  get ndim(): number { return this.shape.length; }
  dim(): number { return this.shape.length; }
  numel(): number { return numel(this.shape); }
  nelement(): number { return this.numel(); }
  element_size(): number { return ITEMSIZE[this.dtype]; }
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? [...this.shape] : this.shape[wrapDim(dim, this.ndim, 'size')];
  }
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    return dim === undefined ? [...this._strides] : this._strides[wrapDim(dim, this.ndim, 'stride')];
  }
  storage_offset(): number { return this._offset; }
  is_contiguous(): boolean { return isContiguousView(this.shape, this._strides); }
  is_floating_point(): boolean { return isFloating(this.dtype); }
  typeName(): string {
    return { float32: 'torch.FloatTensor', float64: 'torch.DoubleTensor', int32: 'torch.IntTensor', uint8: 'torch.ByteTensor', bool: 'torch.BoolTensor' }[this.dtype];
  }
  type(): string { return this.typeName(); }
  get is_disposed(): boolean { return this._disposed; }

  /** Storage bytes, checked for disposal (kernels call this). */
  _bytes(): TypedArray { return bytesOf(this); }
  /** Throws the use-after-dispose error. */
  _checkAlive(): void {
    if (this._disposed) throw new Error(`This tensor (shape ${shapeStr(this.shape)}, ${this.dtype}) has been disposed and can no longer be used`);
  }
  /** The GPU buffer of a webgpu tensor, checked for disposal (GPU kernels call this). */
  _gpu(): GPUBuffer {
    this._checkAlive();
    const b = this._storage.buffer;
    if (!b) throw new Error(`Expected a webgpu tensor, but got a cpu tensor (shape ${shapeStr(this.shape)}, ${this.dtype})`);
    return b;
  }
  _storageVersion(): number { return this._storage.version; }
  _bumpVersion(): void { this._storage.version++; }
  /** PyTorch's t._version */
  get _version(): number { return this._storage.version; }

  /** A view of the same storage with new geometry. */
  _view(shape: readonly number[], strides: readonly number[], offset: number): Tensor {
    this._checkAlive();
    const t = new Tensor(this._storage, shape, strides, offset);
    t._base = this._base ?? this;
    return t;
  }
  _alias(): Tensor { return this._view(this.shape, this._strides, this._offset); }
  /**
   * PyTorch's `t.data = src` for Module.to's device moves: this tensor takes src's storage and view
   * geometry (same shape and dtype), keeping its identity, autograd flags and .grad; it drops its
   * reference to the old storage. src stays valid (its owner disposes it).
   */
  _setData(src: Tensor): void {
    this._checkAlive();
    src._checkAlive();
    if (src.dtype !== this.dtype || src.shape.join() !== this.shape.join()) {
      throw new Error(`_setData: expected a ${this.dtype} tensor of shape ${shapeStr(this.shape)}, got ${src.dtype} ${shapeStr(src.shape)}`);
    }
    const old = this._storage;
    src._storage.account.retain();
    this._storage = src._storage;
    this._strides = [...src._strides];
    this._offset = src._offset;
    this._base = null;
    dropStorage(old);
  }

  // ---------------------------------------------------------------- memory
  /** Releases this tensor's storage reference now (the bytes go when no view uses them). */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    dropStorage(this._storage);
    this.grad_fn = null;
    this._acc = null;
  }
  [Symbol.dispose](): void { this.dispose(); }

  // ---------------------------------------------------------------- autograd state
  get requires_grad(): boolean { return this._requiresGrad; }
  set requires_grad(v: boolean) { this.requires_grad_(v); }
  get is_leaf(): boolean { return this.grad_fn === null; }
  /** .grad; a tensor stored here is kept out of torch.scope() cleanup (the leaf owns it) */
  get grad(): Tensor | null { return this._grad; }
  set grad(g: Tensor | null) {
    if (g !== null && !(g instanceof Tensor)) throw new TypeError(`assigned grad expected to be a Tensor or None but got grad of type ${typeof g}`);
    if (g && g.shape.join() !== this.shape.join()) throw new RangeError(`assigned grad has data of a different size (${shapeStr(g.shape)} vs ${shapeStr(this.shape)})`);
    if (g) keep(g);
    // a grad dropped inside a scope is released with the scope's other tensors
    if (this._grad && this._grad !== g) trackInScope(this._grad);
    this._grad = g;
  }

  requires_grad_(requires_grad = true): this {
    if (!this.is_leaf) {
      if (!requires_grad) throw new Error('you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn\'t require differentiation use var_no_grad = var.detach().');
      return this;
    }
    if (requires_grad && !isFloating(this.dtype)) throw new Error(`only Tensors of floating point and complex dtype can require gradients (got ${this.dtype})`);
    this._requiresGrad = requires_grad;
    return this;
  }

  _setHistory(node: Node, nr: number): void {
    this.grad_fn = node;
    this._output_nr = nr;
    this._requiresGrad = true;
  }

  _accumulator(): Node {
    if (!this._acc) this._acc = accumulateGradNode(this);
    return this._acc;
  }

  /** AccumulateGrad: runs the leaf's hooks, then stores or adds g; `steal` reuses g's storage. */
  _accumulateGrad(g: Tensor, createGraph: boolean, steal = false): void {
    for (const h of this._hooks) {
      const r = h(g);
      if (r) g = r;
    }
    if (this.grad === null) {
      this.grad = createGraph ? g.clone() : no_grad(() => (steal && g.is_contiguous() ? g.detach() : g.detach().clone()));
    } else if (createGraph) {
      this.grad = this.grad.add(g);
    } else {
      no_grad(() => this.grad!.add_(g));
    }
  }

  backward(gradient?: Tensor | null, opts: { retain_graph?: boolean; create_graph?: boolean; inputs?: Tensor[] } = {}): void {
    if (!this.requires_grad) throw new Error('element 0 of tensors does not require grad and does not have a grad_fn');
    let g: Tensor;
    if (gradient == null) {
      if (this.numel() !== 1) throw new Error(`grad can be implicitly created only for scalar outputs (got shape ${shapeStr(this.shape)})`);
      g = ones_like(this);
    } else {
      if (gradient.numel() !== this.numel() || (gradient.ndim && gradient.shape.join() !== this.shape.join())) {
        throw new Error(`Mismatch in shape: grad_output[0] has a shape of torch.Size(${shapeStr(gradient.shape)}) and output[0] has a shape of torch.Size(${shapeStr(this.shape)}).`);
      }
      g = gradient.reshape(this.shape);
    }
    if (opts.inputs) {
      const grads = runBackward([this], [g], { ...opts, inputs: opts.inputs, allow_unused: true });
      opts.inputs.forEach((t, i) => { if (grads[i]) t._accumulateGrad(grads[i]!, !!opts.create_graph); });
      return;
    }
    runBackward([this], [g], opts);
  }

  register_hook(hook: Hook): { remove(): void } {
    if (!this.requires_grad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
    if (this.grad_fn) {
      const node = this.grad_fn, nr = this._output_nr;
      (node.outputHooks[nr] ??= []).push(hook);
      return { remove: () => { const a = node.outputHooks[nr]; a.splice(a.indexOf(hook), 1); } };
    }
    this._hooks.push(hook);
    return { remove: () => { this._hooks.splice(this._hooks.indexOf(hook), 1); } };
  }

  retain_grad(): void {
    if (!this.requires_grad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
    if (!this.grad_fn) return;
    this._retainsGrad = true;
    this.grad_fn.retained[this._output_nr] = this;
  }
  get retains_grad(): boolean { return this._retainsGrad; }

  /** A new tensor sharing storage, cut from the graph. */
  detach(): Tensor { return this._alias(); }
  detach_(): this {
    if (this._base && this._base.requires_grad && !this.is_leaf) throw new Error('Can\'t detach views in-place. Use detach() instead.');
    this.grad_fn = null;
    this._requiresGrad = false;
    return this;
  }

  // ---------------------------------------------------------------- reading values
  /** Contiguous copy of the values (a typed array); sync, CPU only. */
  dataSync(): TypedArray { return backendOf(this).readSync(this, 'dataSync'); }
  async data(): Promise<TypedArray> { return backendOf(this).read(this); }
  itemSync(): number | boolean {
    if (this.numel() !== 1) { backendOf(this).readSync(this, 'itemSync'); throw new Error(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`); }
    const v = backendOf(this).readSync(this, 'itemSync')[0];
    return this.dtype === 'bool' ? v !== 0 : v;
  }
  async item(): Promise<number | boolean> {
    if (this.numel() !== 1) throw new Error(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    const v = (await this.data())[0];
    return this.dtype === 'bool' ? v !== 0 : v;
  }
  tolistSync(): unknown {
    return this._nest(backendOf(this).readSync(this, 'tolistSync'));
  }
  private _nest(d: TypedArray): unknown {
    const conv = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    const build = (dim: number, off: number): unknown => {
      if (dim === this.ndim) return conv(d[off]);
      const n = this.shape[dim], step = numel(this.shape.slice(dim + 1));
      return Array.from({ length: n }, (_, i) => build(dim + 1, off + i * step));
    };
    return build(0, 0);
  }
  async tolist(): Promise<unknown> { return this._nest(await this.data()); }
  toString(): string { return formatTensor(this); }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }

  // ---------------------------------------------------------------- conversion
  /**
   * to(dtype), to(device), to(tensor), to({ device, dtype, copy }). Moving to webgpu is synchronous
   * (an upload); moving back is asynchronous, so it is `await t.cpu()`.
   */
  to(arg: DTypeLike | string | Device | Tensor | { dtype?: DTypeLike; device?: string | Device }, opts?: { dtype?: DTypeLike; copy?: boolean }): Tensor {
    let dtype: DType = this.dtype;
    let device: DeviceType = this.device.type;
    const copy = opts?.copy ?? false;
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
    if (device !== this.device.type) {
      if (device === 'cpu') throw new Error('to(\'cpu\'): reading a webgpu tensor back is asynchronous: use `await t.cpu()` (or `await t.to_async(\'cpu\')`)');
      return P._to_device(dtype === this.dtype ? this : this.to(dtype), device);
    }
    if (dtype === this.dtype && !copy) return this;
    return P._to_dtype(this, dtype);
  }
  /** A CPU copy of a webgpu tensor (or this tensor, when it is on the CPU). Always awaited. */
  async cpu(): Promise<Tensor> {
    if (!this._storage.buffer) return this;
    return Tensor._fromData(await this.data(), this.dtype, this.shape);
  }
  /** to() that also moves webgpu tensors to the CPU: `await t.to_async('cpu')`. */
  async to_async(arg: Parameters<Tensor['to']>[0], opts?: { dtype?: DTypeLike; copy?: boolean }): Promise<Tensor> {
    const target = typeof arg === 'string' || (arg && typeof arg === 'object' && 'type' in arg) ? arg : (arg as { device?: string | Device })?.device;
    if (this._storage.buffer && target !== undefined && !(target instanceof Tensor) && isDeviceString(String(target)) && parseDevice(target as string | Device, 'to') === 'cpu') {
      const c = await this.cpu();
      return opts?.dtype ? c.to(opts.dtype) : c;
    }
    return this.to(arg, opts);
  }
  cuda(): Tensor { throw new Error("Torch not compiled with CUDA enabled (webtorch's GPU device is 'webgpu': use t.to('webgpu'))"); }
  webgpu(): Tensor { return this.to('webgpu'); }
  float(): Tensor { return this.to('float32'); }
  double(): Tensor { return this.to('float64'); }
  int(): Tensor { return this.to('int32'); }
  long(): Tensor { return this.to('int32'); }
  bool(): Tensor { return this.to('bool'); }
  byte(): Tensor { return this.to('uint8'); }
  type_as(o: Tensor): Tensor { return this.to(o.dtype); }

  // ---------------------------------------------------------------- pointwise
  add(other: TensorOrScalar, opts?: { alpha?: number } | number): Tensor { return P.add(this, other, opts); }
  sub(other: TensorOrScalar, opts?: { alpha?: number } | number): Tensor { return P.sub(this, other, opts); }
  subtract(other: TensorOrScalar, opts?: { alpha?: number } | number): Tensor { return P.sub(this, other, opts); }
  mul(other: TensorOrScalar): Tensor { return P.mul(this, other); }
  multiply(other: TensorOrScalar): Tensor { return P.mul(this, other); }
  div(other: TensorOrScalar, opts?: { rounding_mode?: 'trunc' | 'floor' | null }): Tensor { return P.div(this, other, opts); }
  divide(other: TensorOrScalar, opts?: { rounding_mode?: 'trunc' | 'floor' | null }): Tensor { return P.div(this, other, opts); }
  true_divide(other: TensorOrScalar): Tensor { return P.div(this, other); }
  floor_divide(other: TensorOrScalar): Tensor { return P.div(this, other, { rounding_mode: 'floor' }); }
  remainder(other: TensorOrScalar): Tensor { return P.remainder(this, other); }
  pow(exponent: TensorOrScalar): Tensor { return P.pow(this, exponent); }
  neg(): Tensor { return P.neg(this); }
  negative(): Tensor { return P.neg(this); }
  abs(): Tensor { return P.abs(this); }
  sign(): Tensor { return P.sign(this); }
  reciprocal(): Tensor { return P.reciprocal(this); }
  exp(): Tensor { return P.exp(this); }
  log(): Tensor { return P.log(this); }
  log1p(): Tensor { return P.log1p(this); }
  expm1(): Tensor { return P.expm1(this); }
  sqrt(): Tensor { return P.sqrt(this); }
  rsqrt(): Tensor { return P.rsqrt(this); }
  square(): Tensor { return P.mul(this, this); }
  sin(): Tensor { return P.sin(this); }
  cos(): Tensor { return P.cos(this); }
  tanh(): Tensor { return P.tanh(this); }
  sigmoid(): Tensor { return P.sigmoid(this); }
  relu(): Tensor { return P.relu(this); }
  erf(): Tensor { return P.erf(this); }
  floor(): Tensor { return P.floor(this); }
  ceil(): Tensor { return P.ceil(this); }
  round(opts?: { decimals?: number }): Tensor { return P.round(this, opts); }
  trunc(): Tensor { return P.trunc(this); }
  clamp(min?: TensorOrScalar | null | { min?: TensorOrScalar | null; max?: TensorOrScalar | null }, max?: TensorOrScalar | null): Tensor { return P.clamp(this, min, max); }
  clip(min?: TensorOrScalar | null, max?: TensorOrScalar | null): Tensor { return P.clamp(this, min, max); }
  clamp_min(min: TensorOrScalar): Tensor { return P.clamp(this, min, null); }
  clamp_max(max: TensorOrScalar): Tensor { return P.clamp(this, null, max); }
  minimum(o: Tensor): Tensor { return P.minimum(this, o); }
  maximum(o: Tensor): Tensor { return P.maximum(this, o); }
  eq(o: TensorOrScalar): Tensor { return P.eq(this, o); }
  ne(o: TensorOrScalar): Tensor { return P.ne(this, o); }
  lt(o: TensorOrScalar): Tensor { return P.lt(this, o); }
  le(o: TensorOrScalar): Tensor { return P.le(this, o); }
  gt(o: TensorOrScalar): Tensor { return P.gt(this, o); }
  ge(o: TensorOrScalar): Tensor { return P.ge(this, o); }
  logical_and(o: TensorOrScalar): Tensor { return P.logical_and(this, o); }
  logical_or(o: TensorOrScalar): Tensor { return P.logical_or(this, o); }
  logical_xor(o: TensorOrScalar): Tensor { return P.logical_xor(this, o); }
  logical_not(): Tensor { return P.logical_not(this); }
  isnan(): Tensor { return P.isnan(this); }
  where(condition: Tensor, other: TensorOrScalar): Tensor { return I.where(condition, this, other); }
  masked_fill(mask: Tensor, value: TensorOrScalar): Tensor { return I.masked_fill(this, mask, value); }
  lerp(end: Tensor, weight: TensorOrScalar): Tensor { return P.add(this, P.mul(P.sub(end, this), weight)); }

  // ---------------------------------------------------------------- in place
  add_(other: TensorOrScalar, opts?: { alpha?: number } | number): this { return P.inplace(this, P.add(this, other, opts)); }
  sub_(other: TensorOrScalar, opts?: { alpha?: number } | number): this { return P.inplace(this, P.sub(this, other, opts)); }
  mul_(other: TensorOrScalar): this { return P.inplace(this, P.mul(this, other)); }
  div_(other: TensorOrScalar, opts?: { rounding_mode?: 'trunc' | 'floor' | null }): this { return P.inplace(this, P.div(this, other, opts)); }
  pow_(e: TensorOrScalar): this { return P.inplace(this, P.pow(this, e)); }
  neg_(): this { return P.inplace(this, P.neg(this)); }
  abs_(): this { return P.inplace(this, P.abs(this)); }
  exp_(): this { return P.inplace(this, P.exp(this)); }
  log_(): this { return P.inplace(this, P.log(this)); }
  sqrt_(): this { return P.inplace(this, P.sqrt(this)); }
  relu_(): this { return P.inplace(this, P.relu(this)); }
  sigmoid_(): this { return P.inplace(this, P.sigmoid(this)); }
  tanh_(): this { return P.inplace(this, P.tanh(this)); }
  floor_(): this { return P.inplace(this, P.floor(this)); }
  round_(): this { return P.inplace(this, P.round(this)); }
  clamp_(min?: TensorOrScalar | null | { min?: TensorOrScalar | null; max?: TensorOrScalar | null }, max?: TensorOrScalar | null): this { return P.inplace(this, P.clamp(this, min, max)); }
  clip_(min?: TensorOrScalar | null, max?: TensorOrScalar | null): this { return P.inplace(this, P.clamp(this, min, max)); }
  masked_fill_(mask: Tensor, value: TensorOrScalar): this { return P.inplace(this, I.masked_fill(this, mask, value)); }
  addcmul_(t1: Tensor, t2: Tensor, opts?: { value?: number }): this { return P.inplace(this, P.add(this, P.mul(P.mul(t1, t2), opts?.value ?? 1))); }
  addcdiv_(t1: Tensor, t2: Tensor, opts?: { value?: number }): this { return P.inplace(this, P.add(this, P.mul(P.div(t1, t2), opts?.value ?? 1))); }
  lerp_(end: Tensor, weight: TensorOrScalar): this { return P.inplace(this, this.lerp(end, weight)); }
  fill_(value: TensorOrScalar): this { return P.fill_(this, value); }
  zero_(): this { return P.fill_(this, 0); }
  copy_(src: Tensor): this { return P.copy_(this, src); }
  uniform_(from = 0, to = 1): this { return P.fill_random_(this, 'uniform', from, to); }
  normal_(mean = 0, std = 1): this { return P.fill_random_(this, 'normal', mean, std); }
  bernoulli_(p = 0.5): this { return P.fill_random_(this, 'bernoulli', p, 0); }

  // ---------------------------------------------------------------- reductions
  sum(dim?: DimArg | ReduceOpts, keepdim?: boolean | ReduceOpts): Tensor { return R.sum(this, dim, keepdim); }
  mean(dim?: DimArg | ReduceOpts, keepdim?: boolean | ReduceOpts): Tensor { return R.mean(this, dim, keepdim); }
  prod(dim?: number | ReduceOpts, keepdim?: boolean | ReduceOpts): Tensor { return R.prod(this, dim, keepdim); }
  max(): Tensor;
  max(dim: number | Tensor, keepdim?: boolean | ReduceOpts): any;
  max(dim?: number | Tensor | ReduceOpts, keepdim?: boolean | ReduceOpts): any { return R.max(this, dim, keepdim); }
  min(): Tensor;
  min(dim: number | Tensor, keepdim?: boolean | ReduceOpts): any;
  min(dim?: number | Tensor | ReduceOpts, keepdim?: boolean | ReduceOpts): any { return R.min(this, dim, keepdim); }
  amax(dim?: DimArg | ReduceOpts, keepdim?: boolean | ReduceOpts): Tensor { return R.amax(this, dim, keepdim); }
  amin(dim?: DimArg | ReduceOpts, keepdim?: boolean | ReduceOpts): Tensor { return R.amin(this, dim, keepdim); }
  argmax(dim?: number | null | ReduceOpts, keepdim?: boolean | ReduceOpts): Tensor { return R.argmax(this, dim, keepdim); }
  argmin(dim?: number | null | ReduceOpts, keepdim?: boolean | ReduceOpts): Tensor { return R.argmin(this, dim, keepdim); }
  var(dim?: DimArg | ReduceOpts, opts?: boolean | ReduceOpts, keepdim?: boolean): Tensor { return R.var_(this, dim, opts, keepdim); }
  std(dim?: DimArg | ReduceOpts, opts?: boolean | ReduceOpts, keepdim?: boolean): Tensor { return R.std(this, dim, opts, keepdim); }
  logsumexp(dim: DimArg | ReduceOpts, keepdim?: boolean | ReduceOpts): Tensor { return R.logsumexp(this, dim, keepdim); }
  norm(p?: number | string | ReduceOpts | null, dim?: DimArg | ReduceOpts, keepdim?: boolean | ReduceOpts): Tensor { return R.norm(this, p, dim, keepdim); }
  all(dim?: number | ReduceOpts, keepdim?: boolean | ReduceOpts): Tensor { return R.all(this, dim, keepdim); }
  any(dim?: number | ReduceOpts, keepdim?: boolean | ReduceOpts): Tensor { return R.any(this, dim, keepdim); }
  cumsum(dim: number | ReduceOpts, opts?: ReduceOpts): Tensor { return R.cumsum(this, dim, opts); }
  softmax(dim: number | ReduceOpts): Tensor { return R.softmax(this, dim); }
  log_softmax(dim: number | ReduceOpts): Tensor { return R.log_softmax(this, dim); }

  // ---------------------------------------------------------------- linear algebra
  matmul(o: Tensor): Tensor { return L.matmul(this, o); }
  mm(o: Tensor): Tensor { return L.mm(this, o); }
  bmm(o: Tensor): Tensor { return L.bmm(this, o); }
  dot(o: Tensor): Tensor { return L.dot(this, o); }
  outer(o: Tensor): Tensor { return L.outer(this, o); }
  addmm(m1: Tensor, m2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor { return L.addmm(this, m1, m2, opts); }

  // ---------------------------------------------------------------- views and shape
  view(...shape: (number | number[] | DType)[]): Tensor { return V.view(this, ...shape); }
  view_as(o: Tensor): Tensor { return V.view(this, o.shape); }
  reshape(...shape: (number | number[])[]): Tensor { return V.reshape(this, ...shape); }
  reshape_as(o: Tensor): Tensor { return V.reshape(this, o.shape); }
  permute(...dims: (number | number[])[]): Tensor { return V.permute(this, ...dims); }
  transpose(d0: number, d1: number): Tensor { return V.transpose(this, d0, d1); }
  swapaxes(d0: number, d1: number): Tensor { return V.transpose(this, d0, d1); }
  t(): Tensor { return V.t(this); }
  get T(): Tensor { return V.permute(this, [...this.shape.keys()].reverse()); }
  get mT(): Tensor { return V.transpose(this, -2, -1); }
  squeeze(dim?: number | number[] | { dim?: number | number[] }): Tensor { return V.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return V.unsqueeze(this, dim); }
  expand(...sizes: (number | number[])[]): Tensor { return V.expand(this, ...sizes); }
  expand_as(o: Tensor): Tensor { return V.expand(this, o.shape); }
  broadcast_to(shape: number[]): Tensor { return V.expand(this, shape); }
  narrow(dim: number, start: number, length: number): Tensor { return V.narrow(this, dim, start, length); }
  select(dim: number, index: number): Tensor { return V.select(this, dim, index); }
  flatten(start_dim?: number | { start_dim?: number; end_dim?: number }, end_dim?: number): Tensor { return V.flatten(this, start_dim, end_dim); }
  unflatten(dim: number, sizes: number[]): Tensor { return V.unflatten(this, dim, sizes); }
  contiguous(): Tensor { return V.contiguous(this); }
  clone(): Tensor { return V.clone(this); }
  unbind(dim = 0): Tensor[] { return V.unbind(this, dim); }
  as_strided(size: number[], stride: number[], storage_offset?: number): Tensor { return V.as_strided(this, size, stride, storage_offset); }
  /** Basic slicing: t.slice(dim, start, end, step) and t.index(...) with numbers, ranges and null. */
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor { return V.slice(this, dim, start, end, step); }
  index(...idx: V.IndexItem[]): Tensor { return V.index(this, ...idx); }

  // ---------------------------------------------------------------- joining and indexing
  split(split_size_or_sections: number | number[], dim: number | { dim?: number } = 0): Tensor[] { return I.split(this, split_size_or_sections, dim); }
  chunk(chunks: number, dim: number | { dim?: number } = 0): Tensor[] { return I.chunk(this, chunks, dim); }
  index_select(dim: number, index: Tensor): Tensor { return I.index_select(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return I.gather(this, dim, index); }
  scatter(dim: number, index: Tensor, src: TensorOrScalar | { value?: number; src?: Tensor }): Tensor { return I.scatter(this, dim, index, src); }
  scatter_(dim: number, index: Tensor, src: TensorOrScalar): this { return P.inplace(this, I.scatter(this, dim, index, src)); }
  scatter_add(dim: number, index: Tensor, src: Tensor): Tensor { return I.scatter_add(this, dim, index, src); }
  scatter_add_(dim: number, index: Tensor, src: Tensor): this { return P.inplace(this, I.scatter_add(this, dim, index, src)); }
  tril(diagonal: number | { diagonal?: number } = 0): Tensor { return I.tril(this, diagonal); }
  triu(diagonal: number | { diagonal?: number } = 0): Tensor { return I.triu(this, diagonal); }
  flip(...dims: (number | number[])[]): Tensor { return I.flip(this, ...dims); }
  repeat(...sizes: (number | number[])[]): Tensor { return I.repeat(this, ...sizes); }
}

export type { Scalar };
