// torch.optim.Optimizer: parameter groups with per-group options, per-parameter state, zero_grad,
// step(closure) and state_dict()/load_state_dict() in PyTorch's structure.
//
// An optimizer owns no data of its own beyond its per-parameter state buffers: param_groups hold
// references to the parameters (the model owns them) plus the options; each subclass only
// supplies its defaults, an option check and `_update(p, grad, state, group)`, which runs one
// fused kernel on the parameter's backend (see fused.ts, optim_table.ts) under no_grad.
//
// PyTorch's implementation-choice options (foreach, fused, capturable, differentiable) are accepted
// and kept in the groups for state_dict compatibility; they change nothing here (there is one
// implementation: the fused kernel). Sparse gradients do not exist in webtorch.
//
// Devices: state buffers live on their parameter's device (webgpu parameters get webgpu state);
// the 0-dim `step` (and NAdam's `mu_product`) stay CPU tensors, as PyTorch keeps them when not
// capturable or fused. State made on the CPU before its parameter moved to webgpu (an optimizer
// built before model.to('webgpu'), e.g. Adagrad's eager `sum`) follows the parameter at the next
// step; state on webgpu cannot follow a parameter back to the CPU synchronously (a clear error).
import { Tensor } from '../tensor.js';
import { no_grad, enable_grad } from '../autograd/grad_mode.js';
import { keep } from '../memory.js';
import { isFloating, type DType } from '../dtype.js';
import { copyAs, toDevice } from '../ops/copy.js';
import { backendOf } from '../backend/dispatch.js';

/** per-parameter state entries that are 0-dim counters kept on the CPU, not buffers shaped like the parameter */
const SCALAR_STATE = new Set(['step', 'mu_product']);

/** Options of one parameter group (lr, momentum, betas, ...). */
export type GroupOptions = Record<string, any>;
/** A parameter group: the parameters plus every option (defaults filled in). */
export interface ParamGroup extends GroupOptions { params: Tensor[] }
/** What the constructor and add_param_group take for a group: params may be one tensor or any iterable. */
export interface ParamGroupInput extends GroupOptions { params: Iterable<Tensor> | Tensor }
/** A plain list of parameters, or a list of groups. */
export type ParamsInput = Iterable<Tensor> | Iterable<ParamGroupInput>;

export type OptimizerState = Record<string, any>;
/** PyTorch's state_dict structure: state keyed by parameter index, groups listing those indices. */
export interface OptimizerStateDict {
  state: Record<number, OptimizerState>;
  param_groups: (GroupOptions & { params: number[] })[];
}

/** Marks an option with no default that every group must set (PyTorch's `required`). */
export const required: unique symbol = Symbol('required');

/** A number as Python prints it in PyTorch's messages (nan, inf). */
const py = (v: unknown): string => (typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf') : String(v));
export function checkNonNegative(name: string, v: unknown, what = name): void {
  if (typeof v !== 'number' || !(v >= 0)) throw new RangeError(`Invalid ${what} value: ${py(v)}`);
}
export function checkLr(v: unknown): void {
  if (typeof v !== 'number' || !(v >= 0)) throw new RangeError(`Invalid learning rate: ${py(v)}`);
}
export function checkBetas(b: unknown): void {
  if (!Array.isArray(b) || b.length !== 2) throw new TypeError(`Invalid betas: expected two numbers, got ${String(b)}`);
  if (!(b[0] >= 0 && b[0] < 1)) throw new RangeError(`Invalid beta parameter at index 0: ${b[0]}`);
  if (!(b[1] >= 0 && b[1] < 1)) throw new RangeError(`Invalid beta parameter at index 1: ${b[1]}`);
}

/** The options with undefined entries dropped (so `{ lr: undefined }` keeps the default). */
export function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) out[k] = v;
  return out as T;
}

function cloneOption(v: unknown): unknown {
  return Array.isArray(v) ? v.map(cloneOption) : v;
}

export abstract class Optimizer {
  readonly defaults: GroupOptions;
  param_groups: ParamGroup[] = [];
  /** per-parameter state (momentum buffers, step counts, ...), created at the first step */
  state: Map<Tensor, OptimizerState> = new Map();
  /** how many times step() ran (learning-rate schedulers read it) */
  _step_count = 0;

  constructor(params: ParamsInput, defaults: GroupOptions) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError('params argument given to the optimizer should be an iterable of Tensors or dicts, but got a Tensor');
    }
    if (params == null || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${params === null ? 'null' : typeof params}`);
    }
    const list = [...(params as Iterable<Tensor | ParamGroupInput>)];
    if (list.length === 0) throw new Error('optimizer got an empty parameter list');
    const groups: ParamGroupInput[] = list[0] instanceof Tensor ? [{ params: list as Tensor[] }] : (list as ParamGroupInput[]);
    for (const g of groups) this.add_param_group(g);
  }

  /** Checks one group's options (negative lr, bad betas, ...); throws RangeError. */
  protected abstract _checkGroup(group: ParamGroup): void;
  /** Applies one update to one parameter whose gradient is not null (runs under no_grad). */
  protected abstract _update(p: Tensor, grad: Tensor, state: OptimizerState, group: ParamGroup): void;

  /** Adds a parameter group (options not given take the optimizer's defaults). */
  add_param_group(param_group: ParamGroupInput): void {
    if (param_group === null || typeof param_group !== 'object' || param_group instanceof Tensor || Array.isArray(param_group)) {
      throw new TypeError('param group must be an object like { params: [...], lr: ... }');
    }
    if (!('params' in param_group) || param_group.params == null) {
      throw new Error("parameter group didn't specify 'params' (expected { params: [...tensors], ...options })");
    }
    const raw = param_group.params;
    let params: unknown[];
    if (raw instanceof Tensor) params = [raw];
    else if (typeof (raw as Iterable<unknown>)[Symbol.iterator] === 'function') params = [...(raw as Iterable<unknown>)];
    else throw new TypeError('optimizer params need to be organized in ordered collections of Tensors');
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but params[${i}] is ${p === null ? 'null' : typeof p}`);
      if (!p.is_leaf) throw new Error(`can't optimize a non-leaf Tensor (params[${i}] was produced by an operation; optimize the leaf it came from, or use .detach().requires_grad_())`);
      if (!isFloating(p.dtype)) throw new TypeError(`optimizer can only optimize floating point Tensors, but params[${i}] is ${p.dtype}`);
      if (p.is_disposed) throw new Error(`params[${i}] has been disposed`);
    });
    const tensors = params as Tensor[];
    if (new Set(tensors).size !== tensors.length) {
      console.warn('optimizer contains a parameter group with duplicate parameters; in future, this will cause an error');
    }
    const group: ParamGroup = { params: tensors };
    for (const [k, v] of Object.entries(param_group)) if (k !== 'params') group[k] = cloneOption(v);
    for (const [k, v] of Object.entries(this.defaults)) {
      if (v === required && !(k in group)) throw new Error(`parameter group didn't specify a value of required optimization parameter ${k}`);
      if (!(k in group)) group[k] = cloneOption(v);
    }
    this._checkGroup(group);
    const seen = new Set<Tensor>();
    for (const g of this.param_groups) for (const p of g.params) seen.add(p);
    if (tensors.some((p) => seen.has(p))) throw new Error('some parameters appear in more than one parameter group');
    this.param_groups.push(group);
  }

  /**
   * Resets the gradients of every optimized parameter: to null (`set_to_none`, the default as in
   * PyTorch 2) or to zeros in place.
   */
  zero_grad(opts: { set_to_none?: boolean } | boolean = {}): void {
    const setToNone = typeof opts === 'boolean' ? opts : (opts.set_to_none ?? true);
    for (const g of this.param_groups) {
      for (const p of g.params) {
        if (!p.grad) continue;
        if (setToNone) p.grad = null;
        else {
          if (p.grad.grad_fn) p.grad = p.grad.detach();
          else p.grad.requires_grad_(false);
          no_grad(() => p.grad!.zero_());
        }
      }
    }
  }

  /**
   * Performs one optimization step over every parameter that has a gradient. `closure`, when
   * given, re-evaluates the model and returns the loss (it runs with grad enabled); step returns
   * its result (a promise if the closure is async).
   */
  step(): undefined;
  step<T>(closure: () => T): T;
  step<T>(closure?: () => T): T | undefined {
    if (closure) {
      const loss = enable_grad(closure);
      if (loss instanceof Promise) return loss.then((l) => { this._stepAll(); return l; }) as T;
      this._stepAll();
      return loss;
    }
    this._stepAll();
    return undefined;
  }

  protected _stepAll(): void {
    this._step_count++;
    no_grad(() => {
      for (const group of this.param_groups) {
        for (const p of group.params) {
          const g = p.grad;
          if (!g) continue;
          let state = this.state.get(p);
          if (!state) { state = {}; this.state.set(p, state); }
          stateToDevice(p, state);
          this._update(p, g, state, group);
        }
      }
    });
  }

  /**
   * The optimizer's state as `{ state, param_groups }`: state keyed by the index of each parameter
   * (in group order), param_groups with their options and those indices. Tensors are references,
   * as in PyTorch (later steps update them); load_state_dict copies.
   */
  state_dict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    let next = 0;
    const param_groups = this.param_groups.map((g) => {
      const out: GroupOptions & { params: number[] } = { params: [] };
      for (const [k, v] of Object.entries(g)) if (k !== 'params') out[k] = cloneOption(v);
      out.params = g.params.map((p) => {
        if (!index.has(p)) index.set(p, next++);
        return index.get(p)!;
      });
      return out;
    });
    const state: Record<number, OptimizerState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = { ...s };
    }
    return { state, param_groups };
  }

  /** Loads a state_dict() (deep-copying it): groups must match this optimizer's in number and size. */
  load_state_dict(state_dict: OptimizerStateDict): void {
    if (!state_dict || typeof state_dict !== 'object' || !Array.isArray(state_dict.param_groups) || typeof state_dict.state !== 'object') {
      throw new TypeError('load_state_dict expects an object { state, param_groups } as returned by state_dict()');
    }
    const groups = this.param_groups;
    const saved = state_dict.param_groups;
    if (groups.length !== saved.length) {
      throw new Error(`loaded state dict has a different number of parameter groups (${saved.length}) than this optimizer (${groups.length})`);
    }
    groups.forEach((g, i) => {
      if (!Array.isArray(saved[i].params) || g.params.length !== saved[i].params.length) {
        throw new Error(`loaded state dict contains a parameter group that doesn't match the size of optimizer's group (group ${i}: ${saved[i].params?.length} saved vs ${g.params.length} parameters)`);
      }
    });
    const idMap = new Map<number, Tensor>();
    saved.forEach((sg, i) => sg.params.forEach((id, j) => idMap.set(Number(id), groups[i].params[j])));
    const newState = new Map<Tensor, OptimizerState>();
    for (const [k, s] of Object.entries(state_dict.state)) {
      const p = idMap.get(Number(k));
      if (!p) continue; // PyTorch keeps unmatched entries keyed by id; they can never be used here
      const out: OptimizerState = {};
      for (const [key, v] of Object.entries(s)) out[key] = castState(key, v, p);
      newState.set(p, out);
    }
    const newGroups = saved.map((sg, i) => {
      const g: ParamGroup = { params: groups[i].params };
      for (const [k, v] of Object.entries(sg)) if (k !== 'params') g[k] = cloneOption(v);
      this._checkGroup(g);
      return g;
    });
    // the old buffers are left to the garbage collector: a state_dict() taken earlier still refers to them
    this.state = newState;
    this.param_groups = newGroups;
  }

  toString(): string {
    const lines = [`${this.constructor.name} (`];
    this.param_groups.forEach((g, i) => {
      lines.push(`Parameter Group ${i}`);
      for (const k of Object.keys(g).sort()) if (k !== 'params') lines.push(`    ${k}: ${JSON.stringify(g[k])}`);
    });
    lines.push(')');
    return lines.join('\n');
  }
}

/** The error for optimizer state on webgpu whose parameter is on the CPU (reading it back is asynchronous). */
function gpuStateError(key: string): Error {
  return new Error(`optim: state '${key}' is on webgpu but its parameter is on the cpu; reading webgpu tensors back is asynchronous: `
    + 'build a new optimizer after `await model.cpu()`, or load a state_dict whose tensors were moved with `await t.cpu()`');
}

/**
 * Moves state buffers to their parameter's backend (the state of an optimizer built before
 * model.to('webgpu')). Only state that can be read synchronously can follow its parameter.
 */
function stateToDevice(p: Tensor, state: OptimizerState): void {
  const target = backendOf(p);
  for (const [key, v] of Object.entries(state)) {
    if (!(v instanceof Tensor) || SCALAR_STATE.has(key) || backendOf(v) === target) continue;
    if (!backendOf(v).syncReads) throw gpuStateError(key);
    // the old buffer is left to the garbage collector: a state_dict() taken earlier may still refer to it
    state[key] = keep(toDevice(v, target.device));
  }
}

/**
 * A copy of one saved state value: tensors cloned contiguous onto the parameter's device and cast
 * to its dtype, except the 0-dim counters (step, mu_product), which keep their dtype on the CPU.
 */
function castState(key: string, v: unknown, p: Tensor): unknown {
  if (v instanceof Tensor) {
    const scalar = SCALAR_STATE.has(key);
    const dtype: DType = scalar ? v.dtype : p.dtype;
    if (!scalar && v.numel() !== p.numel()) {
      throw new Error(`loaded state '${key}' has ${v.numel()} elements but its parameter has ${p.numel()}`);
    }
    // counters are read and written on the host every step; buffers follow their parameter
    const from = backendOf(v), target = scalar ? from : backendOf(p);
    if (scalar && !from.syncReads) throw new Error(`optim: loaded state '${key}' is on webgpu; step counters are cpu tensors (move it with \`await t.cpu()\`)`);
    if (from !== target && !from.syncReads) throw gpuStateError(key);
    const c = copyAs(v.to(dtype), scalar ? v.shape : p.shape);
    if (from === target) return keep(c);
    try { return keep(toDevice(c, target.device)); } finally { c.dispose(); }
  }
  if (SCALAR_STATE.has(key) && typeof v === 'number') return keep(Tensor._fromData(new Float32Array([v]), 'float32', []));
  return cloneOption(v);
}
