// Containers: Sequential, ModuleList, ModuleDict, ParameterList. Children live under their
// index ('0', '1', ...) or key, so state_dict keys match PyTorch's ('0.weight', 'fc.bias').
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { Tensor } from '../../tensor.js';

function wrapIndex(op: string, i: number, n: number): number {
  if (!Number.isInteger(i) || i < -n || i >= n) throw new RangeError(`index ${i} is out of range`);
  void op;
  return i < 0 ? i + n : i;
}

/** Re-registers `items` under '0'..'n-1' (after removals or insertions). */
function renumber(m: Module, items: (Module | null)[]): void {
  for (const k of [...m._modules.keys()]) { m._modules.delete(k); delete (m as unknown as Record<string, unknown>)[k]; }
  items.forEach((it, i) => m.add_module(String(i), it));
}

/** nn.Sequential(m1, m2, ...) or nn.Sequential(new Map([['name', m], ...])) / nn.Sequential({ name: m }) */
export class Sequential extends Module {
  constructor(...args: (Module | Map<string, Module> | Record<string, Module>)[]) {
    super();
    if (args.length === 1 && !(args[0] instanceof Module)) {
      const entries = args[0] instanceof Map ? [...args[0].entries()] : Object.entries(args[0]);
      for (const [k, m] of entries) this.add_module(k, m);
    } else {
      args.forEach((m, i) => {
        if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
        this.add_module(String(i), m);
      });
    }
  }
  override forward(input: any): any {
    let x = input;
    for (const m of this._modules.values()) if (m) x = m.call(x);
    return x;
  }
  get length(): number { return this._modules.size; }
  /** seq.get(i) (negative i counts from the end); seq[i] also works for i >= 0 */
  get(i: number): Module {
    const mods = [...this._modules.values()];
    return mods[wrapIndex('Sequential', i, mods.length)]!;
  }
  /** seq.slice(start, end): a new Sequential of the same modules (PyTorch's seq[a:b]) */
  slice(start?: number, end?: number): Sequential {
    const entries = [...this._modules.entries()].slice(start, end);
    return new Sequential(new Map(entries as [string, Module][]));
  }
  append(m: Module): this { this.add_module(String(this._modules.size), m); return this; }
  extend(ms: Iterable<Module>): this { for (const m of ms) this.append(m); return this; }
  insert(index: number, m: Module): this {
    const items = [...this._modules.values()];
    const i = index < 0 ? index + items.length : index;
    if (i < 0 || i > items.length) throw new RangeError(`Index out of range: ${index}`);
    items.splice(i, 0, m);
    renumber(this, items);
    return this;
  }
  pop(i = -1): Module {
    const items = [...this._modules.values()];
    const j = wrapIndex('Sequential', i, items.length);
    const [m] = items.splice(j, 1);
    renumber(this, items);
    return m!;
  }
  [Symbol.iterator](): Iterator<Module> { return ([...this._modules.values()] as Module[])[Symbol.iterator](); }
}

/** nn.ModuleList(modules?) */
export class ModuleList extends Module {
  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }
  get length(): number { return this._modules.size; }
  get(i: number): Module { const mods = [...this._modules.values()]; return mods[wrapIndex('ModuleList', i, mods.length)]!; }
  set(i: number, m: Module): void { const n = this._modules.size; this.add_module(String(wrapIndex('ModuleList', i, n)), m); }
  append(m: Module): this { this.add_module(String(this._modules.size), m); return this; }
  extend(ms: Iterable<Module>): this { for (const m of ms) this.append(m); return this; }
  insert(index: number, m: Module): void {
    const items = [...this._modules.values()];
    const i = index < 0 ? Math.max(0, index + items.length) : Math.min(index, items.length);
    items.splice(i, 0, m);
    renumber(this, items);
  }
  pop(i = -1): Module {
    const items = [...this._modules.values()];
    const j = wrapIndex('ModuleList', i, items.length);
    const [m] = items.splice(j, 1);
    renumber(this, items);
    return m!;
  }
  slice(start?: number, end?: number): ModuleList { return new ModuleList(([...this._modules.values()] as Module[]).slice(start, end)); }
  [Symbol.iterator](): Iterator<Module> { return ([...this._modules.values()] as Module[])[Symbol.iterator](); }
  override forward(): never { throw new Error('ModuleList is not callable: iterate over it in your forward'); }
}

/** nn.ModuleDict(modules?): an ordered name -> module map; use get/set (md.name works when it does not clash with a method). */
export class ModuleDict extends Module {
  constructor(modules: Map<string, Module> | Record<string, Module> | [string, Module][] = {}) {
    super();
    this.update(modules);
  }
  get size(): number { return this._modules.size; }
  get length(): number { return this._modules.size; }
  get(key: string): Module | undefined { return this._modules.get(key) ?? undefined; }
  set(key: string, m: Module): void { this.add_module(key, m); }
  has(key: string): boolean { return this._modules.has(key); }
  delete(key: string): Module | undefined { return this.pop(key); }
  pop(key: string): Module | undefined {
    const m = this._modules.get(key) ?? undefined;
    this._modules.delete(key);
    if (Object.prototype.hasOwnProperty.call(this, key)) delete (this as unknown as Record<string, unknown>)[key];
    return m;
  }
  clear(): void { for (const k of [...this._modules.keys()]) this.pop(k); }
  keys(): string[] { return [...this._modules.keys()]; }
  values(): Module[] { return [...this._modules.values()] as Module[]; }
  items(): [string, Module][] { return [...this._modules.entries()] as [string, Module][]; }
  update(modules: Map<string, Module> | Record<string, Module> | [string, Module][]): void {
    const entries = modules instanceof Map ? [...modules.entries()] : Array.isArray(modules) ? modules : Object.entries(modules);
    for (const [k, m] of entries) this.add_module(k, m);
  }
  [Symbol.iterator](): Iterator<string> { return this.keys()[Symbol.iterator](); }
  override forward(): never { throw new Error('ModuleDict is not callable'); }
}

/** nn.ParameterList(parameters?): tensors are wrapped in Parameter, registered as '0', '1', ... */
export class ParameterList extends Module {
  constructor(values: Iterable<Tensor> = []) {
    super();
    for (const v of values) this.append(v);
  }
  get length(): number { return this._parameters.size; }
  get(i: number): Parameter { const ps = [...this._parameters.values()]; return ps[wrapIndex('ParameterList', i, ps.length)]!; }
  set(i: number, v: Tensor): void {
    const n = this._parameters.size;
    this.register_parameter(String(wrapIndex('ParameterList', i, n)), v instanceof Parameter ? v : new Parameter(v));
  }
  append(v: Tensor): this {
    this.register_parameter(String(this._parameters.size), v instanceof Parameter ? v : new Parameter(v));
    return this;
  }
  extend(vs: Iterable<Tensor>): this { for (const v of vs) this.append(v); return this; }
  [Symbol.iterator](): Iterator<Parameter> { return ([...this._parameters.values()] as Parameter[])[Symbol.iterator](); }
  override extra_repr(): string {
    return [...this._parameters.entries()].map(([k, p]) =>
      `(${k}): Parameter containing: [torch.${p!.dtype} of size ${p!.shape.join('x')}]`).join('\n');
  }
  override forward(): never { throw new Error('ParameterList is not callable'); }
}
