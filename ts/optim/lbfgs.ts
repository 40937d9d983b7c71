// torch.optim.LBFGS, ported from PyTorch 1.13's torch/optim/lbfgs.py (itself after minFunc):
// limited-memory BFGS over all parameters as one flat vector, with a fixed step or the strong
// Wolfe line search. The vectors (directions, gradients, history) are tensors on the parameters'
// device; the scalars that steer the iteration (dot products, norms, losses) are read back as
// JavaScript numbers (float64), as PyTorch's `if` tests read its 0-dim tensors.
//
// The algorithm is written once as a generator that yields what it needs from outside: the
// closure's loss or the value of a 0-dim tensor. `step` answers synchronously where it can (a
// sync closure on the CPU) and returns the loss; where an answer is asynchronous (an async
// closure, reads from webgpu) it finishes asynchronously and returns a promise of the loss.
import { Tensor } from '../tensor.js';
import { no_grad, enable_grad } from '../autograd/grad_mode.js';
import { keep } from '../memory.js';
import { backendOf } from '../backend/dispatch.js';
import { copyAs, toDevice } from '../ops/copy.js';
import { cat } from '../ops/indexing.js';
import { zeros, on } from '../creation.js';
import { Optimizer, defined, type ParamsInput, type ParamGroup, type OptimizerState, type OptimizerStateDict } from './optimizer.js';
import { strongWolfe, CLOSURE, type Need, type Evaluated } from './lbfgs_line_search.js';

export interface LBFGSOptions {
  lr?: number; max_iter?: number; max_eval?: number | null; tolerance_grad?: number; tolerance_change?: number;
  history_size?: number; line_search_fn?: 'strong_wolfe' | null;
}

/** The state LBFGS keeps (on its first parameter, as PyTorch does). */
const VECTOR_STATE = new Set(['d', 'prev_flat_grad']);
const VECTOR_LIST_STATE = new Set(['old_dirs', 'old_stps']);

/**
 * `new optim.LBFGS(params, { lr: 1, max_iter: 20, line_search_fn: 'strong_wolfe' })`;
 * `opt.step(closure)` where closure zeroes the gradients, computes the loss, calls backward and
 * returns the loss (sync or async).
 */
export class LBFGS extends Optimizer {
  constructor(params: ParamsInput, options: LBFGSOptions = {}) {
    const o = defined(options);
    const max_iter = o.max_iter ?? 20;
    const defaults = {
      lr: 1, max_iter, max_eval: o.max_eval ?? Math.floor((max_iter * 5) / 4), tolerance_grad: 1e-7, tolerance_change: 1e-9,
      history_size: 100, line_search_fn: null, ...o,
    };
    if (defaults.max_eval === null) defaults.max_eval = Math.floor((max_iter * 5) / 4);
    super(params, defaults);
    if (this.param_groups.length !== 1) throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
  }

  private get _params(): Tensor[] { return this.param_groups[0].params; }

  protected _checkGroup(g: ParamGroup): void {
    for (const k of ['max_iter', 'max_eval', 'history_size']) {
      if (!Number.isInteger(g[k]) || g[k] < 0) throw new RangeError(`LBFGS: ${k} must be a non-negative integer, got ${String(g[k])}`);
    }
  }

  /** LBFGS moves every parameter at once in step(closure); Optimizer's per-parameter update never runs for it. */
  protected _update(): void {
    throw new Error('LBFGS updates its parameters together in step(closure)');
  }

  /**
   * One optimization step: up to max_iter L-BFGS iterations, re-evaluating `closure` (run with grad
   * enabled). Returns the closure's first result, or a promise of it when the closure is async or
   * the parameters are on webgpu.
   */
  override step(): undefined;
  override step<T>(closure: () => T): T;
  override step<T>(closure?: () => T): T | undefined {
    if (typeof closure !== 'function') throw new TypeError('LBFGS.step() missing 1 required positional argument: \'closure\' (a function that reevaluates the model and returns the loss)');
    if (this.param_groups.length !== 1) throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
    this._step_count++;
    return drive(this._run(), closure) as T;
  }

  private _gatherFlatGrad(): Tensor {
    return cat(this._params.map((p) => (p.grad ? p.grad.reshape([-1]) : zeros([p.numel()], on(p)))), 0);
  }

  private _addGrad(stepSize: number, update: Tensor): void {
    let offset = 0;
    for (const p of this._params) {
      const n = p.numel();
      p.add_(update.narrow(0, offset, n).view(p.shape), { alpha: stepSize });
      offset += n;
    }
  }

  private _setParam(data: Tensor[]): void {
    this._params.forEach((p, i) => p.copy_(data[i]));
  }

  /** Moves by t·d, evaluates the closure there, and moves back: (loss, flat gradient). */
  private *_directionalEvaluate(x: Tensor[], t: number, d: Tensor): Generator<Need, Evaluated, any> {
    this._addGrad(t, d);
    const loss = (yield CLOSURE).value as number;
    const flat = this._gatherFlatGrad();
    this._setParam(x);
    return [loss, flat];
  }

  private *_run(): Generator<Need, unknown, any> {
    const g = this.param_groups[0];
    const lr: number = g.lr, max_iter: number = g.max_iter, max_eval: number = g.max_eval;
    const tolerance_grad: number = g.tolerance_grad, tolerance_change: number = g.tolerance_change;
    const line_search_fn: string | null = g.line_search_fn ?? null, history_size: number = g.history_size;
    const p0 = this._params[0];
    let state = this.state.get(p0);
    if (!state) { state = {}; this.state.set(p0, state); }
    state.func_evals ??= 0;
    state.n_iter ??= 0;

    // evaluate the initial f(x) and df/dx
    const first = yield CLOSURE;
    const orig_loss = first.raw;
    let loss: number = first.value;
    let current_evals = 1;
    state.func_evals += 1;
    let flat_grad = this._gatherFlatGrad();
    let opt_cond = (yield flat_grad.abs().max()) <= tolerance_grad;
    if (opt_cond) return orig_loss;

    let d: Tensor = state.d, t: number = state.t;
    let old_dirs: Tensor[] = state.old_dirs, old_stps: Tensor[] = state.old_stps, ro: number[] = state.ro;
    let H_diag: number = state.H_diag;
    let prev_flat_grad: Tensor | undefined = state.prev_flat_grad, prev_loss: number = state.prev_loss;

    let n_iter = 0;
    while (n_iter < max_iter) {
      n_iter++;
      state.n_iter++;

      // the descent direction
      if (state.n_iter === 1) {
        d = flat_grad.neg();
        old_dirs = []; old_stps = []; ro = [];
        H_diag = 1;
      } else {
        // update the memory
        const y = flat_grad.sub(prev_flat_grad!);
        const s = d.mul(t);
        const ys: number = yield y.dot(s);
        if (ys > 1e-10) {
          if (old_dirs.length === history_size) { old_dirs.shift(); old_stps.shift(); ro.shift(); }
          old_dirs.push(y); old_stps.push(s); ro.push(1 / ys);
          H_diag = ys / (yield y.dot(y));
        }
        // the approximate inverse Hessian times the gradient (two-loop recursion)
        const num_old = old_dirs.length;
        if (!state.al) state.al = new Array(history_size).fill(null);
        const al: (number | null)[] = state.al;
        let q = flat_grad.neg();
        for (let i = num_old - 1; i >= 0; i--) {
          al[i] = (yield old_stps[i].dot(q)) * ro[i];
          q = q.add(old_dirs[i], { alpha: -al[i]! });
        }
        let r = q.mul(H_diag);
        for (let i = 0; i < num_old; i++) {
          const be_i = (yield old_dirs[i].dot(r)) * ro[i];
          r = r.add(old_stps[i], { alpha: al[i]! - be_i });
        }
        d = r;
      }
      prev_flat_grad = flat_grad.clone();
      prev_loss = loss;

      // the step length
      t = state.n_iter === 1 ? Math.min(1, 1 / (yield flat_grad.abs().sum())) * lr : lr;
      const gtd: number = yield flat_grad.dot(d);
      // directional derivative below tolerance
      if (gtd > -tolerance_change) break;

      let ls_func_evals = 0;
      if (line_search_fn !== null) {
        if (line_search_fn !== 'strong_wolfe') throw new Error("only 'strong_wolfe' is supported");
        const x_init = this._params.map((p) => p.clone());
        const obj = (x: Tensor[], tt: number, dd: Tensor) => this._directionalEvaluate(x, tt, dd);
        [loss, flat_grad, t, ls_func_evals] = yield* strongWolfe(obj, x_init, t, d, loss, flat_grad, gtd);
        this._addGrad(t, d);
        opt_cond = (yield flat_grad.abs().max()) <= tolerance_grad;
      } else {
        // a fixed step; the function is re-evaluated except after the last iteration
        this._addGrad(t, d);
        if (n_iter !== max_iter) {
          loss = (yield CLOSURE).value;
          flat_grad = this._gatherFlatGrad();
          opt_cond = (yield flat_grad.abs().max()) <= tolerance_grad;
          ls_func_evals = 1;
        }
      }
      current_evals += ls_func_evals;
      state.func_evals += ls_func_evals;

      // the stopping conditions
      if (n_iter === max_iter) break;
      if (current_evals >= max_eval) break;
      if (opt_cond) break;
      if ((yield d.mul(t).abs().max()) <= tolerance_change) break;
      if (Math.abs(loss - prev_loss) < tolerance_change) break;
    }

    Object.assign(state, keep({ d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss }));
    return orig_loss;
  }

  /**
   * Loads a state_dict(): LBFGS's flat vectors (d, prev_flat_grad, old_dirs, old_stps) span every
   * parameter, so they are copied whole (cast to the parameters' dtype, on their device).
   */
  override load_state_dict(state_dict: OptimizerStateDict): void {
    const saved = state_dict?.state && state_dict.param_groups?.[0]?.params?.length
      ? state_dict.state[state_dict.param_groups[0].params[0]] : undefined;
    super.load_state_dict({ ...state_dict, state: {} });
    if (!saved) return;
    const p0 = this._params[0];
    const copy = (v: Tensor): Tensor => {
      const c = copyAs(v.to(p0.dtype), v.shape);
      if (backendOf(c) === backendOf(p0)) return keep(c);
      if (!backendOf(c).syncReads) throw new Error("optim: loaded LBFGS state is on webgpu but the parameters are on the cpu (move it with `await t.cpu()`)");
      return keep(toDevice(c, backendOf(p0).device));
    };
    const out: OptimizerState = {};
    for (const [k, v] of Object.entries(saved)) {
      if (VECTOR_STATE.has(k) && v instanceof Tensor) out[k] = copy(v);
      else if (VECTOR_LIST_STATE.has(k) && Array.isArray(v)) out[k] = v.map(copy);
      else out[k] = Array.isArray(v) ? [...v] : v;
    }
    this.state.set(p0, out);
  }
}

/** Reads a loss (a tensor or a number) or a 0-dim tensor: a number, or a promise where the read is asynchronous. */
function read(v: unknown): number | Promise<number> {
  if (typeof v === 'number') return v;
  if (v instanceof Tensor) return backendOf(v).syncReads ? Number(v.itemSync()) : v.item().then(Number);
  throw new TypeError(`LBFGS: the closure must return the loss (a Tensor or a number), got ${v === null ? 'null' : typeof v}`);
}

/** Answers one need: the closure's { raw, value } or a tensor's value (maybe as a promise). */
function answer(need: Need, closure: () => unknown): unknown {
  if (need !== CLOSURE) return read(need);
  const raw = enable_grad(closure);
  if (raw instanceof Promise) return raw.then(async (r) => ({ raw: r, value: await read(r) }));
  const value = read(raw);
  return value instanceof Promise ? value.then((v) => ({ raw, value: v })) : { raw, value };
}

/** Runs the generator synchronously while answers are synchronous, then asynchronously. Its code runs under no_grad. */
function drive(gen: Generator<Need, unknown, any>, closure: () => unknown): unknown {
  let r = no_grad(() => gen.next());
  while (!r.done) {
    const a = answer(r.value, closure);
    if (a instanceof Promise) return a.then((v) => driveAsync(gen, closure, v));
    r = no_grad(() => gen.next(a));
  }
  return r.value;
}

async function driveAsync(gen: Generator<Need, unknown, any>, closure: () => unknown, first: unknown): Promise<unknown> {
  let r = no_grad(() => gen.next(first));
  while (!r.done) {
    const v = await answer(r.value, closure);
    r = no_grad(() => gen.next(v));
  }
  return r.value;
}
