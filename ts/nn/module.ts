// nn.Module: the base class of every layer and model.
//
// Registration: the Module constructor returns a Proxy of the new object whose `set` and
// `defineProperty` traps see every property assignment, so in a subclass
//
//     class Net extends nn.Module {
//       constructor() { super(); this.conv1 = new nn.Conv2d(1, 20, 5); this.w = new nn.Parameter(t); }
//       forward(x: Tensor) { return this.conv1.call(x); }
//     }
//
// `conv1` and `w` are registered in assignment order (as PyTorch's __setattr__ does); class-field
// initializers (`conv1 = new nn.Conv2d(...)`) are caught too. Registered values are also plain own
// properties, so reading `this.conv1` costs nothing.
//
// Calling convention: `model.call(x, ...)` runs the forward pre-hooks, `forward`, then the forward
// hooks (PyTorch's `model(x)`); `model.forward(x)` runs forward alone.
import { Tensor } from '../tensor.js';
import type { DType, DTypeLike } from '../dtype.js';
import { isFloating, toDType } from '../dtype.js';
import { isDeviceString, parseDevice, type Device } from '../device.js';
import type { DeviceType } from '../backend/storage.js';
import { needsAsyncRead, checkDType } from '../backend/move.js';
import { no_grad } from '../autograd/grad_mode.js';
import { keep } from '../memory.js';
import { Parameter } from './parameter.js';
import { tracer } from '../onnx/hook.js';

export type ForwardPreHook = (module: Module, args: unknown[]) => unknown[] | unknown | void;
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown | void;
export interface RemovableHandle { remove(): void; id: number }
export type StateDict = Record<string, Tensor>;

let hookId = 0;

function hasOnPrototype(target: object, key: string): boolean {
  for (let p = Object.getPrototypeOf(target); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, key)) return true;
  }
  return false;
}

function setterOnPrototype(target: object, key: PropertyKey): boolean {
  for (let p = Object.getPrototypeOf(target); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, key);
    if (d) return !!d.set;
  }
  return false;
}

const typeName = (t: Tensor): string => t.typeName();

/** The device a Module.to argument names (parseDevice's errors, with 'not available' for CUDA). */
function moduleDevice(d: string | Device): DeviceType {
  const s = typeof d === 'string' ? d : d?.type;
  if (/^cuda(:\d+)?$/.test(String(s))) throw new Error(`Module.to: device '${s}' is not available: Torch not compiled with CUDA enabled (webtorch's GPU device is 'webgpu')`);
  return parseDevice(d, 'Module.to');
}

/** Registers `value` under `name` on the raw module object (not its proxy). */
function setAttr(target: Module, name: string, value: unknown, own = true): void {
  const params = target._parameters, bufs = target._buffers, mods = target._modules;
  const define = () => {
    if (own) Reflect.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  };
  if (value instanceof Parameter) {
    bufs.delete(name); mods.delete(name); target._non_persistent_buffers_set.delete(name);
    keep(value);
    params.set(name, value);
    return define();
  }
  if (value instanceof Module) {
    params.delete(name); bufs.delete(name); target._non_persistent_buffers_set.delete(name);
    mods.set(name, value);
    return define();
  }
  if (params.has(name)) {
    if (value !== null && value !== undefined) {
      throw new TypeError(`cannot assign '${value instanceof Tensor ? typeName(value) : typeof value}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
    }
    params.set(name, null);
    return define();
  }
  if (mods.has(name)) {
    if (value !== null && value !== undefined) throw new TypeError(`cannot assign '${value instanceof Tensor ? typeName(value) : typeof value}' as child module '${name}' (torch.nn.Module or None expected)`);
    mods.set(name, null);
    return define();
  }
  if (bufs.has(name)) {
    if (value !== null && value !== undefined && !(value instanceof Tensor)) throw new TypeError(`cannot assign '${typeof value}' as buffer '${name}' (torch.Tensor or None expected)`);
    if (value instanceof Tensor) keep(value);
    bufs.set(name, (value as Tensor | null) ?? null);
    return define();
  }
  define();
}

const TRAPS: ProxyHandler<Module> = {
  set(target, key, value, receiver) {
    if (typeof key !== 'string' || setterOnPrototype(target, key)) return Reflect.set(target, key, value, receiver);
    setAttr(target, key, value);
    return true;
  },
  defineProperty(target, key, desc) {
    if (typeof key !== 'string' || !('value' in desc)) return Reflect.defineProperty(target, key, desc);
    setAttr(target, key, desc.value);
    return true;
  },
  deleteProperty(target, key) {
    if (typeof key === 'string') {
      target._parameters.delete(key); target._buffers.delete(key); target._modules.delete(key);
      target._non_persistent_buffers_set.delete(key);
    }
    return Reflect.deleteProperty(target, key);
  },
};

function addIndent(s: string, n: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  return [lines[0], ...lines.slice(1).map((l) => ' '.repeat(n) + l)].join('\n');
}

export class Module {
  training = true;
  _parameters = new Map<string, Parameter | null>();
  _buffers = new Map<string, Tensor | null>();
  _non_persistent_buffers_set = new Set<string>();
  _modules = new Map<string, Module | null>();
  _forward_pre_hooks = new Map<number, ForwardPreHook>();
  _forward_hooks = new Map<number, ForwardHook>();

  constructor() {
    // eslint-disable-next-line no-constructor-return
    const proxy = new Proxy(this, TRAPS);
    RAWS.set(proxy, this);
    return proxy;
  }

  /** The computation; subclasses override it. */
  forward(..._args: any[]): any {
    throw new Error(`Module [${this._get_name()}] is missing the required "forward" function`);
  }

  /** PyTorch's `module(*args)`: forward pre-hooks, forward, forward hooks. */
  call(...args: Parameters<this['forward']>): ReturnType<this['forward']> {
    let a: unknown[] = args;
    for (const h of this._forward_pre_hooks.values()) {
      const r = h(this, a);
      if (r !== undefined && r !== null) a = Array.isArray(r) ? r : [r];
    }
    let out = tracer ? tracer.module(this, a, () => this.forward(...a)) as ReturnType<this['forward']> : this.forward(...a);
    for (const h of this._forward_hooks.values()) {
      const r = h(this, a, out);
      if (r !== undefined && r !== null) out = r;
    }
    return out;
  }

  // ---------------------------------------------------------------- registration
  register_parameter(name: string, param: Parameter | null): void {
    checkName(name, 'parameter', this);
    if (param !== null && !((param as unknown) instanceof Parameter)) {
      throw new TypeError(`cannot assign '${(param as unknown) instanceof Tensor ? typeName(param as Tensor) : typeof param}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    if (param === null) { this._parameters.set(name, null); defineOwn(this, name, null); return; }
    setAttr(rawOf(this), name, param, !hasOnPrototype(this, name));
  }

  register_buffer(name: string, tensor: Tensor | null, persistent: boolean | { persistent?: boolean } = true): void {
    checkName(name, 'buffer', this);
    const pers = typeof persistent === 'object' ? persistent.persistent ?? true : persistent;
    if (tensor !== null && !(tensor instanceof Tensor)) throw new TypeError(`cannot assign '${typeof tensor}' object to buffer '${name}' (torch Tensor or None required)`);
    if (tensor) keep(tensor);
    this._parameters.delete(name); this._modules.delete(name);
    this._buffers.set(name, tensor);
    if (pers) this._non_persistent_buffers_set.delete(name); else this._non_persistent_buffers_set.add(name);
    defineOwn(this, name, tensor);
  }

  add_module(name: string, module: Module | null): void {
    checkName(name, 'module', this, true);
    if (module !== null && !(module instanceof Module)) throw new TypeError(`${typeof module} is not a Module subclass`);
    this._parameters.delete(name); this._buffers.delete(name);
    this._modules.set(name, module);
    defineOwn(this, name, module);
  }
  register_module(name: string, module: Module | null): void { this.add_module(name, module); }

  get_submodule(target: string): Module {
    if (target === '') return this;
    let m: Module = this;
    for (const item of target.split('.')) {
      const next = m._modules.get(item);
      if (!next) throw new Error(`${m._get_name()} has no attribute \`${item}\``);
      m = next;
    }
    return m;
  }
  get_parameter(target: string): Parameter {
    const i = target.lastIndexOf('.');
    const mod = this.get_submodule(i < 0 ? '' : target.slice(0, i));
    const p = mod._parameters.get(target.slice(i + 1));
    if (!p) throw new Error(`${mod._get_name()} has no parameter \`${target.slice(i + 1)}\``);
    return p;
  }

  // ---------------------------------------------------------------- introspection
  named_modules(memo: Set<Module> = new Set(), prefix = '', remove_duplicate = true): [string, Module][] {
    const out: [string, Module][] = [];
    const walk = (m: Module, pre: string) => {
      if (remove_duplicate) { if (memo.has(m)) return; memo.add(m); }
      out.push([pre, m]);
      for (const [name, child] of m._modules) if (child) walk(child, pre ? `${pre}.${name}` : name);
    };
    walk(this, prefix);
    return out;
  }
  modules(): Module[] { return this.named_modules().map(([, m]) => m); }
  named_children(): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [n, m] of this._modules) if (m && !seen.has(m)) { seen.add(m); out.push([n, m]); }
    return out;
  }
  children(): Module[] { return this.named_children().map(([, m]) => m); }

  private _named_members<T>(get: (m: Module) => Map<string, T | null>, prefix: string, recurse: boolean): [string, T][] {
    const mods: [string, Module][] = recurse ? this.named_modules(new Set(), prefix) : [[prefix, this]];
    const seen = new Set<T>();
    const out: [string, T][] = [];
    for (const [mp, m] of mods) {
      for (const [k, v] of get(m)) {
        if (v === null || v === undefined || seen.has(v)) continue;
        seen.add(v);
        out.push([mp ? `${mp}.${k}` : k, v]);
      }
    }
    return out;
  }
  named_parameters(prefix: string | { prefix?: string; recurse?: boolean } = '', recurse = true): [string, Parameter][] {
    if (typeof prefix === 'object') { recurse = prefix.recurse ?? true; prefix = prefix.prefix ?? ''; }
    return this._named_members((m) => m._parameters, prefix, recurse);
  }
  parameters(recurse: boolean | { recurse?: boolean } = true): Parameter[] {
    const r = typeof recurse === 'object' ? recurse.recurse ?? true : recurse;
    return this.named_parameters('', r).map(([, p]) => p);
  }
  named_buffers(prefix: string | { prefix?: string; recurse?: boolean } = '', recurse = true): [string, Tensor][] {
    if (typeof prefix === 'object') { recurse = prefix.recurse ?? true; prefix = prefix.prefix ?? ''; }
    return this._named_members((m) => m._buffers, prefix, recurse);
  }
  buffers(recurse: boolean | { recurse?: boolean } = true): Tensor[] {
    const r = typeof recurse === 'object' ? recurse.recurse ?? true : recurse;
    return this.named_buffers('', r).map(([, b]) => b);
  }

  /** Calls fn on every submodule (children first) and then on this module. */
  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  // ---------------------------------------------------------------- modes and gradients
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }
  eval(): this { return this.train(false); }

  zero_grad(set_to_none: boolean | { set_to_none?: boolean } = true): void {
    const none = typeof set_to_none === 'object' ? set_to_none.set_to_none ?? true : set_to_none;
    for (const p of this.parameters()) {
      if (!p.grad) continue;
      if (none) { p.grad = null; continue; }
      const g = p.grad;
      if (g.grad_fn) p.grad = g.detach();
      no_grad(() => p.grad!.zero_());
    }
  }

  requires_grad_(requires_grad = true): this {
    for (const p of this.parameters()) p.requires_grad_(requires_grad);
    return this;
  }

  /** Replaces every parameter, gradient and buffer with fn(tensor). */
  _apply(fn: (t: Tensor) => Tensor): this {
    for (const m of this.children()) m._apply(fn);
    for (const [k, p] of this._parameters) {
      if (!p) continue;
      const t = no_grad(() => fn(p));
      if (t === p) continue;
      const np = new Parameter(t, p.requires_grad);
      if (p.grad) np.grad = keep(no_grad(() => fn(p.grad!)));
      setAttr(rawOf(this), k, np, Object.prototype.hasOwnProperty.call(this, k));
    }
    for (const [k, b] of this._buffers) {
      if (!b) continue;
      const t = fn(b);
      if (t === b) continue;
      keep(t);
      this._buffers.set(k, t);
      if (Object.prototype.hasOwnProperty.call(this, k)) defineOwn(this, k, t);
    }
    return this;
  }

  /**
   * to(dtype), to(device), to(tensor), to({ device, dtype }): floating parameters and buffers are
   * converted to dtype, and every parameter, gradient and buffer moves to device. Moving to webgpu
   * happens in place, as PyTorch's `param.data = ...`: the Parameter objects (and their .grad)
   * keep their identity, so an optimizer built before or after the move keeps working. Moving a
   * webgpu model back reads it asynchronously: `await model.cpu()`.
   */
  to(arg: DTypeLike | string | Device | Tensor | { dtype?: DTypeLike; device?: string | Device }, opts?: { dtype?: DTypeLike }): this {
    let dtype: DTypeLike | undefined = opts?.dtype;
    let device: string | Device | undefined;
    if (arg instanceof Tensor) { dtype = arg.dtype; device = arg.device; }
    else if (typeof arg === 'string') {
      if (isDeviceString(arg)) device = arg;
      else dtype = arg as DTypeLike;
    } else if (arg && typeof arg === 'object' && 'type' in arg && !('device' in arg) && !('dtype' in arg)) device = arg as Device;
    else if (arg && typeof arg === 'object') { dtype = (arg as { dtype?: DTypeLike }).dtype ?? dtype; device = (arg as { device?: string | Device }).device; }
    const target = device === undefined ? undefined : moduleDevice(device);
    let d: DType | undefined;
    if (dtype !== undefined) {
      d = toDType(dtype, 'Module.to');
      if (!isFloating(d)) throw new TypeError(`nn.Module.to only accepts floating point dtypes, but got desired dtype=${d}`);
    }
    if (target !== undefined) {
      const from = this._tensors().find((t) => needsAsyncRead(t, target));
      if (from) throw new Error(`Module.to('${target}'): this module has ${from.device.type} tensors, and reading them back is asynchronous: use \`await model.cpu()\``);
      // check every dtype first, so a model that cannot move is left as it was, not half moved
      const dtypes = new Set(this._tensors().map((t) => (d !== undefined && isFloating(t.dtype) ? d : t.dtype)));
      for (const dt of dtypes) checkDType(target, dt, 'Module.to');
    }
    if (d !== undefined) {
      const dt = d;
      this._apply((t) => (isFloating(t.dtype) ? t.to(dt) : t));
    }
    if (target !== undefined) this._moveInPlace((t) => no_grad(() => t.to(target)));
    return this;
  }
  float(): this { return this.to('float32'); }
  double(): this { return this.to('float64'); }
  /** model.to('webgpu') */
  webgpu(): this { return this.to('webgpu'); }
  cuda(): this { return this.to('cuda'); }
  /**
   * Moves every parameter, gradient and buffer back to the CPU, in place (Parameters keep their
   * identity). Asynchronous, since reading webgpu tensors is: `await model.cpu()` resolves to the model.
   */
  async cpu(): Promise<this> {
    const copies = new Map<Tensor, Tensor>();
    await Promise.all(this._tensors().map(async (t) => { copies.set(t, await t.cpu()); }));
    this._moveInPlace((t) => copies.get(t) ?? t);
    return this;
  }

  /** Every parameter, gradient and buffer of this module and its submodules. */
  _tensors(): Tensor[] {
    const out: Tensor[] = [];
    for (const m of this.modules()) {
      for (const p of m._parameters.values()) if (p) { out.push(p); if (p.grad) out.push(p.grad); }
      for (const b of m._buffers.values()) if (b) out.push(b);
    }
    return out;
  }

  /**
   * Replaces the data of every parameter and gradient in place with fn(tensor) (a moved copy, or the
   * tensor itself when it stays), and every buffer with fn(buffer), as PyTorch's _apply does.
   */
  _moveInPlace(fn: (t: Tensor) => Tensor): this {
    const done = new Set<Tensor>();
    const swap = (t: Tensor) => {
      if (done.has(t)) return;
      done.add(t);
      const c = fn(t);
      if (c === t) return;
      t._setData(c);
      c.dispose();
    };
    for (const m of this.modules()) {
      for (const p of m._parameters.values()) {
        if (!p) continue;
        swap(p);
        if (p.grad) swap(p.grad);
      }
      for (const [k, b] of m._buffers) {
        if (!b) continue;
        const t = fn(b);
        if (t === b) continue;
        keep(t);
        m._buffers.set(k, t);
        if (Object.prototype.hasOwnProperty.call(m, k)) defineOwn(m, k, t);
      }
    }
    return this;
  }

  // ---------------------------------------------------------------- state
  state_dict(opts: { prefix?: string; keep_vars?: boolean; destination?: StateDict } = {}): StateDict {
    const dest: StateDict = opts.destination ?? {};
    const prefix = opts.prefix ?? '';
    for (const [k, p] of this._parameters) if (p) dest[prefix + k] = opts.keep_vars ? p : p.detach();
    for (const [k, b] of this._buffers) {
      if (b && !this._non_persistent_buffers_set.has(k)) dest[prefix + k] = opts.keep_vars ? b : b.detach();
    }
    for (const [k, m] of this._modules) if (m) m.state_dict({ prefix: `${prefix}${k}.`, keep_vars: opts.keep_vars, destination: dest });
    return dest;
  }

  load_state_dict(state: StateDict | Map<string, Tensor>, strict: boolean | { strict?: boolean } = true): { missing_keys: string[]; unexpected_keys: string[] } {
    const isStrict = typeof strict === 'object' ? strict.strict ?? true : strict;
    const sd: Map<string, Tensor> = state instanceof Map ? state : new Map(Object.entries(state));
    const missing: string[] = [], unexpected: string[] = [], errors: string[] = [];
    const expected = new Set<string>();
    const fmt = (s: number[]) => `torch.Size([${s.join(', ')}])`;
    for (const [mp, m] of this.named_modules()) {
      const pre = mp ? `${mp}.` : '';
      const local: [string, Tensor][] = [];
      for (const [k, p] of m._parameters) if (p) local.push([k, p]);
      for (const [k, b] of m._buffers) if (b && !m._non_persistent_buffers_set.has(k)) local.push([k, b]);
      for (const [k, t] of local) {
        const key = pre + k;
        expected.add(key);
        const src = sd.get(key);
        if (src === undefined) { missing.push(key); continue; }
        if (!(src instanceof Tensor)) { errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${typeof src}`); continue; }
        if (src.shape.length !== t.shape.length || src.shape.some((s, i) => s !== t.shape[i])) {
          errors.push(`size mismatch for ${key}: copying a param with shape ${fmt(src.shape)} from checkpoint, the shape in current model is ${fmt(t.shape)}.`);
          continue;
        }
        no_grad(() => t.copy_(src));
      }
    }
    for (const k of sd.keys()) if (!expected.has(k)) unexpected.push(k);
    if (isStrict) {
      if (unexpected.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `);
      if (missing.length) errors.unshift(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length) throw new Error(`Error(s) in loading state_dict for ${this._get_name()}:\n\t${errors.join('\n\t')}`);
    return { missing_keys: missing, unexpected_keys: unexpected };
  }

  // ---------------------------------------------------------------- hooks
  register_forward_pre_hook(hook: ForwardPreHook): RemovableHandle {
    const id = ++hookId;
    this._forward_pre_hooks.set(id, hook);
    return { id, remove: () => { this._forward_pre_hooks.delete(id); } };
  }
  register_forward_hook(hook: ForwardHook): RemovableHandle {
    const id = ++hookId;
    this._forward_hooks.set(id, hook);
    return { id, remove: () => { this._forward_hooks.delete(id); } };
  }

  // ---------------------------------------------------------------- printing
  _get_name(): string { return this.constructor.name; }
  extra_repr(): string { return ''; }
  toString(): string {
    const extra = this.extra_repr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines: string[] = [];
    for (const [k, m] of this._modules) childLines.push(`(${k}): ${addIndent(m ? m.toString() : 'None', 2)}`);
    const lines = [...extraLines, ...childLines];
    let s = `${this._get_name()}(`;
    if (lines.length) {
      if (extraLines.length === 1 && !childLines.length) s += extraLines[0];
      else s += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${s})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
}

/** The object behind a module's proxy (registration writes there to skip the traps). */
const RAWS = new WeakMap<Module, Module>();
function rawOf(m: Module): Module { return RAWS.get(m) ?? m; }

function defineOwn(m: Module, name: string, value: unknown): void {
  if (hasOnPrototype(m, name)) return; // never shadow a method (ModuleDict keys like 'train')
  Reflect.defineProperty(rawOf(m), name, { value, writable: true, enumerable: true, configurable: true });
}

function checkName(name: string, kind: string, m: Module, isModule = false): void {
  if (typeof name !== 'string') throw new TypeError(`${kind} name should be a string. Got ${typeof name}`);
  if (name === '') throw new Error(`${kind} name can't be empty string ""`);
  if (name.includes('.')) throw new Error(`${kind} name can't contain "."`);
  const exists = Object.prototype.hasOwnProperty.call(m, name) && !m._parameters.has(name) && !m._buffers.has(name) && !m._modules.has(name);
  if (exists && !isModule) throw new Error(`attribute '${name}' already exists`);
}

/**
 * Python's `copy.deepcopy(module)`: a new module of the same class with copies of every
 * parameter (and its gradient), buffer and submodule; plain attributes are copied as values
 * (functions are shared). A tensor or module reached twice is copied once, so tied weights stay tied.
 */
export function deepcopy<T extends Module>(module: T): T {
  const memo = new Map<unknown, unknown>();
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (memo.has(v)) return memo.get(v);
    if (v instanceof Module) {
      const raw = rawOf(v);
      const c = Object.create(Object.getPrototypeOf(raw)) as Module;
      const proxy = new Proxy(c, TRAPS);
      RAWS.set(proxy, c);
      memo.set(v, proxy); memo.set(raw, proxy);
      for (const k of Reflect.ownKeys(raw)) {
        const d = Object.getOwnPropertyDescriptor(raw, k)!;
        if ('value' in d) d.value = copy(d.value);
        Reflect.defineProperty(c, k, d);
      }
      return proxy;
    }
    if (v instanceof Tensor) {
      const t = no_grad(() => v.detach().clone());
      const c = v instanceof Parameter ? new Parameter(t, v.requires_grad) : t.requires_grad_(v.requires_grad);
      memo.set(v, c);
      if (v.grad) c.grad = copy(v.grad) as Tensor;
      return keep(c);
    }
    if (v instanceof Map) { const m = new Map(); memo.set(v, m); for (const [k, x] of v) m.set(k, copy(x)); return m; }
    if (v instanceof Set) { const s = new Set(); memo.set(v, s); for (const x of v) s.add(copy(x)); return s; }
    if (Array.isArray(v)) { const a: unknown[] = []; memo.set(v, a); for (const x of v) a.push(copy(x)); return a; }
    if (Object.getPrototypeOf(v) === Object.prototype) {
      const o: Record<string, unknown> = {}; memo.set(v, o);
      for (const [k, x] of Object.entries(v)) o[k] = copy(x);
      return o;
    }
    return v; // other objects (generators, devices, typed arrays) are shared
  };
  return copy(module) as T;
}

/** `torch.nn.Module`'s `_addindent`, for layers that print nested reprs. */
export { addIndent as _addindent };
