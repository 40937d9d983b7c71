// The Tensor: a strided view of a Storage, plus its autograd state. This file is the floor the
// ops stand on: it imports only the backend (storage, views, dispatch), dtypes, shapes, devices,
// memory tracking and autograd's node state. Every op method (x.add, x.sum, x.view, ...), the
// autograd methods (backward, register_hook, retain_grad) and toString are installed on
// Tensor.prototype by the modules that implement them (ts/ops/methods.ts), which also declare
// their types here through `declare module './tensor.js'`.
import type { DType, TypedArray } from './dtype.js';
import { isFloating, ITEMSIZE } from './dtype.js';
import { Storage, recycle } from './backend/storage.js';
import { backendOf } from './backend/dispatch.js';
import { deviceOf, type Device } from './device.js';
import { contiguousStrides, numel, shapeStr, wrapDim } from './shape.js';
import { isContiguousView } from './backend/view.js';
import { bytesOf } from './backend/wasm/scratch.js';
import { accumulateGradNode, type Node, type Hook } from './autograd/node.js';
import { trackInScope, keep } from './memory.js';
import type { Scalar } from './ops/types.js';
import { callableView } from './data_view.js';

/** `t.data`: a tensor sharing t's storage, cut from the graph, that reads the values when called. */
export type TensorData = Tensor & (() => Promise<TypedArray>);

let nextId = 0;
export const _tensorsCreated = (): number => nextId;

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
  /** a `.data` view: its in-place changes are hidden from autograd's version check, as in PyTorch */
  _untracked = false;
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
  get device(): Device { return deviceOf(this._storage.device); }
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
  get is_disposed(): boolean { return this._disposed; }

  /** Storage bytes, checked for disposal (kernels call this). */
  _bytes(): TypedArray { return bytesOf(this); }
  /** Throws the use-after-dispose error. */
  _checkAlive(): void {
    if (this._disposed) throw new Error(`This tensor (shape ${shapeStr(this.shape)}, ${this.dtype}) has been disposed and can no longer be used`);
  }

  _storageVersion(): number { return this._storage.version; }
  _bumpVersion(): void { if (!this._untracked) this._storage.version++; }
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
   * PyTorch's `t.data = src`: this tensor takes src's storage, geometry and dtype, keeping its
   * identity, autograd flags and .grad (Module.to moves parameters this way); it drops its
   * reference to the old storage. src stays valid (its owner disposes it).
   */
  _setData(src: Tensor): void {
    this._checkAlive();
    src._checkAlive();
    if (this._requiresGrad && !isFloating(src.dtype)) throw new TypeError(`data set to a tensor that requires gradients must be floating point or complex dtype (got ${src.dtype})`);
    const old = this._storage;
    src._storage.account.retain();
    this._storage = src._storage;
    (this as { shape: number[] }).shape = [...src.shape];
    (this as { dtype: DType }).dtype = src.dtype;
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

  get retains_grad(): boolean { return this._retainsGrad; }

  /**
   * A new tensor sharing storage, cut from the graph. Not a view (its _base is null, as in
   * PyTorch): it must not keep this tensor, and through it the graph that made it, alive (an RNN's
   * hidden state detached each batch would otherwise hold every earlier batch's graph).
   */
  detach(): Tensor {
    this._checkAlive();
    return new Tensor(this._storage, this.shape, this._strides, this._offset);
  }
  detach_(): this {
    if (this._base && this._base.requires_grad && !this.is_leaf) throw new Error('Can\'t detach views in-place. Use detach() instead.');
    this.grad_fn = null;
    this._requiresGrad = false;
    return this;
  }

  // ---------------------------------------------------------------- reading values
  /** Contiguous copy of the values (a typed array); sync, CPU only. */
  dataSync(): TypedArray { return backendOf(this).readSync(this, 'dataSync'); }
  /**
   * PyTorch's `.data`: a tensor sharing this one's storage, cut from the graph, whose in-place
   * changes autograd does not see (`m.bias.data.fill_(0.01)`). Called, it reads the values:
   * `await t.data()` gives a contiguous typed array on every device (see ts/data_view.ts).
   */
  get data(): TensorData {
    return callableView(() => {
      const view = this.detach();
      view._untracked = true;
      return view;
    }, async () => backendOf(this).read(this));
  }
  /** PyTorch's `t.data = src` (shape, dtype and device may change). */
  set data(src: Tensor) {
    if (!(src instanceof Tensor)) throw new TypeError(`Variable data has to be a tensor, but got ${src === null ? 'None' : typeof src}`);
    this._setData(src);
  }
  /**
   * The single value as a number; a bool tensor's value is a boolean at run time, which the
   * type parameter states: `await mask.item<boolean>()` (default number, so
   * `(await loss.item()).toFixed(6)` type-checks).
   */
  itemSync<T extends number | boolean = number>(): T {
    if (this.numel() !== 1) { backendOf(this).readSync(this, 'itemSync'); throw new Error(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`); }
    const v = backendOf(this).readSync(this, 'itemSync')[0];
    return (this.dtype === 'bool' ? v !== 0 : v) as T;
  }
  /** The single value (see itemSync): `Promise<number>`, or `item<boolean>()` for a bool tensor. */
  async item<T extends number | boolean = number>(): Promise<T> {
    if (this.numel() !== 1) throw new Error(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    const v = (await backendOf(this).read(this))[0];
    return (this.dtype === 'bool' ? v !== 0 : v) as T;
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
  async tolist(): Promise<unknown> { return this._nest(await backendOf(this).read(this)); }

  cuda(): Tensor { throw new Error("Torch not compiled with CUDA enabled (webtorch's GPU device is 'webgpu': use t.to('webgpu'))"); }
}

export type { Scalar };
