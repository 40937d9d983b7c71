// torch.optim.lr_scheduler: schedulers that set param_groups[i].lr, in PyTorch's chainable
// (recursive) forms, so the lr sequence matches PyTorch's step for step. Order of calls as in
// PyTorch: optimizer.step(), then scheduler.step(). Positional arguments are PyTorch's required
// ones; keyword arguments go in one trailing options object: new StepLR(opt, 1, { gamma: 0.7 }),
// or everything in the options object: new StepLR(opt, { step_size: 1, gamma: 0.7 }).
import { Optimizer, type ParamGroup } from './optimizer.js';

export interface SchedulerOptions { last_epoch?: number; verbose?: boolean }
export type SchedulerStateDict = Record<string, unknown>;

function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, deepCopy(x)])) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
    return out as T;
  }
  return v;
}

/** Splits `(positional | options, options?)` into one options object. */
function opts<T extends object>(name: string, first: unknown, rest: T | undefined): T {
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) return first as T;
  return { ...(rest ?? {}), ...(first === undefined ? {} : { [name]: first }) } as T;
}

function requireOptimizer(optimizer: unknown): Optimizer {
  if (!(optimizer instanceof Optimizer)) {
    throw new TypeError(`${(optimizer as object)?.constructor?.name ?? typeof optimizer} is not an Optimizer`);
  }
  return optimizer;
}

/** Base class of the epoch-driven schedulers (PyTorch's LRScheduler / _LRScheduler). */
export abstract class LRScheduler {
  optimizer: Optimizer;
  base_lrs: number[];
  last_epoch: number;
  verbose: boolean;
  _step_count = 0;
  _get_lr_called_within_step = false;
  _last_lr: number[] = [];

  constructor(optimizer: Optimizer, last_epoch = -1, verbose = false) {
    this.optimizer = requireOptimizer(optimizer);
    if (last_epoch === -1) {
      for (const g of optimizer.param_groups) if (!('initial_lr' in g)) g.initial_lr = g.lr;
    } else {
      optimizer.param_groups.forEach((g, i) => {
        if (!('initial_lr' in g)) throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      });
    }
    this.base_lrs = optimizer.param_groups.map((g) => g.initial_lr as number);
    this.last_epoch = last_epoch;
    this.verbose = verbose;
    // subclasses call this._initial_step() once their own fields are set (JS runs the base
    // constructor first, so the base cannot call get_lr() yet)
  }

  protected _initial_step(): void {
    this.optimizer._step_count = 0;
    this._step_count = 0;
    this.step();
  }

  /** The learning rates for the new last_epoch (chainable form). */
  abstract get_lr(): number[];
  /** Closed form used when step(epoch) is given an explicit epoch (deprecated in PyTorch). */
  protected _get_closed_form_lr?(): number[];

  get_last_lr(): number[] { return [...this._last_lr]; }

  step(epoch?: number): void {
    if (this._step_count === 1 && this.optimizer._step_count < 1) {
      console.warn('Detected call of `lr_scheduler.step()` before `optimizer.step()`. Call them in the order ' +
        '`optimizer.step()` then `lr_scheduler.step()`; otherwise the first value of the learning rate schedule is skipped.');
    }
    this._step_count++;
    this._get_lr_called_within_step = true;
    let values: number[];
    try {
      if (epoch === undefined) {
        this.last_epoch++;
        values = this.get_lr();
      } else {
        this.last_epoch = epoch;
        values = this._get_closed_form_lr ? this._get_closed_form_lr() : this.get_lr();
      }
    } finally {
      this._get_lr_called_within_step = false;
    }
    this.optimizer.param_groups.forEach((g, i) => {
      g.lr = values[i];
      if (this.verbose) console.log(`Adjusting learning rate of group ${i} to ${values[i].toExponential(4)}.`);
    });
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr as number);
  }

  /** Every field except the optimizer (and functions), as in PyTorch. */
  state_dict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === 'optimizer' || typeof v === 'function') continue;
      out[k] = deepCopy(v);
    }
    return out;
  }

  load_state_dict(state_dict: SchedulerStateDict): void {
    for (const [k, v] of Object.entries(state_dict)) {
      if (k === 'optimizer' || typeof (this as Record<string, unknown>)[k] === 'function') continue;
      (this as Record<string, unknown>)[k] = deepCopy(v);
    }
  }

  protected get groups(): ParamGroup[] { return this.optimizer.param_groups; }
}
/** PyTorch < 2.0 name of LRScheduler */
export { LRScheduler as _LRScheduler };

type LrLambda = (epoch: number) => number;

function lambdas(optimizer: Optimizer, lr_lambda: LrLambda | LrLambda[]): LrLambda[] {
  if (!Array.isArray(lr_lambda)) return optimizer.param_groups.map(() => lr_lambda);
  if (lr_lambda.length !== optimizer.param_groups.length) {
    throw new RangeError(`Expected ${optimizer.param_groups.length} lr_lambdas, but got ${lr_lambda.length}`);
  }
  return [...lr_lambda];
}

export interface LambdaLROptions extends SchedulerOptions { lr_lambda?: LrLambda | LrLambda[] }
/** lr = initial_lr * lr_lambda(epoch). The functions are not saved by state_dict(). */
export class LambdaLR extends LRScheduler {
  lr_lambdas: LrLambda[];
  constructor(optimizer: Optimizer, lr_lambda: LrLambda | LrLambda[] | LambdaLROptions, options?: LambdaLROptions) {
    const o = typeof lr_lambda === 'function' || Array.isArray(lr_lambda) ? { ...options, lr_lambda } : lr_lambda;
    if (!o.lr_lambda) throw new TypeError('LambdaLR needs lr_lambda');
    super(optimizer, o.last_epoch, o.verbose);
    this.lr_lambdas = lambdas(optimizer, o.lr_lambda);
    this._initial_step();
  }
  get_lr(): number[] { return this.base_lrs.map((b, i) => b * this.lr_lambdas[i](this.last_epoch)); }
  override state_dict(): SchedulerStateDict { const s = super.state_dict(); s.lr_lambdas = this.lr_lambdas.map(() => null); return s; }
  override load_state_dict(sd: SchedulerStateDict): void { const { lr_lambdas: _, ...rest } = sd; super.load_state_dict(rest); }
}

/** lr *= lr_lambda(epoch) at every step after the first. */
export class MultiplicativeLR extends LRScheduler {
  lr_lambdas: LrLambda[];
  constructor(optimizer: Optimizer, lr_lambda: LrLambda | LrLambda[] | LambdaLROptions, options?: LambdaLROptions) {
    const o = typeof lr_lambda === 'function' || Array.isArray(lr_lambda) ? { ...options, lr_lambda } : lr_lambda;
    if (!o.lr_lambda) throw new TypeError('MultiplicativeLR needs lr_lambda');
    super(optimizer, o.last_epoch, o.verbose);
    this.lr_lambdas = lambdas(optimizer, o.lr_lambda);
    this._initial_step();
  }
  get_lr(): number[] {
    if (this.last_epoch > 0) return this.groups.map((g, i) => g.lr * this.lr_lambdas[i](this.last_epoch));
    return this.groups.map((g) => g.lr);
  }
  override state_dict(): SchedulerStateDict { const s = super.state_dict(); s.lr_lambdas = this.lr_lambdas.map(() => null); return s; }
  override load_state_dict(sd: SchedulerStateDict): void { const { lr_lambdas: _, ...rest } = sd; super.load_state_dict(rest); }
}

export interface StepLROptions extends SchedulerOptions { step_size?: number; gamma?: number }
/** Decays lr by gamma every step_size epochs. */
export class StepLR extends LRScheduler {
  step_size: number;
  gamma: number;
  constructor(optimizer: Optimizer, step_size: number | StepLROptions, options?: StepLROptions) {
    const o = opts<StepLROptions>('step_size', step_size, options);
    if (!Number.isInteger(o.step_size) || o.step_size! <= 0) throw new RangeError(`StepLR: step_size must be a positive integer, got ${o.step_size}`);
    super(optimizer, o.last_epoch, o.verbose);
    this.step_size = o.step_size!;
    this.gamma = o.gamma ?? 0.1;
    this._initial_step();
  }
  get_lr(): number[] {
    if (this.last_epoch === 0 || this.last_epoch % this.step_size !== 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }
  protected override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((b) => b * this.gamma ** Math.floor(this.last_epoch / this.step_size));
  }
}

export interface MultiStepLROptions extends SchedulerOptions { milestones?: number[]; gamma?: number }
/** Decays lr by gamma at each milestone epoch (a milestone listed twice decays twice). */
export class MultiStepLR extends LRScheduler {
  /** milestone -> count (PyTorch's Counter) */
  milestones: Record<number, number>;
  gamma: number;
  constructor(optimizer: Optimizer, milestones: number[] | MultiStepLROptions, options?: MultiStepLROptions) {
    const o = opts<MultiStepLROptions>('milestones', milestones, options);
    if (!Array.isArray(o.milestones)) throw new TypeError('MultiStepLR needs milestones: number[]');
    super(optimizer, o.last_epoch, o.verbose);
    this.milestones = {};
    for (const m of o.milestones) this.milestones[m] = (this.milestones[m] ?? 0) + 1;
    this.gamma = o.gamma ?? 0.1;
    this._initial_step();
  }
  get_lr(): number[] {
    const c = this.milestones[this.last_epoch];
    if (!c) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma ** c);
  }
  protected override _get_closed_form_lr(): number[] {
    let k = 0;
    for (const [m, c] of Object.entries(this.milestones)) if (Number(m) <= this.last_epoch) k += c;
    return this.base_lrs.map((b) => b * this.gamma ** k);
  }
}

export interface ConstantLROptions extends SchedulerOptions { factor?: number; total_iters?: number }
/** lr * factor until total_iters, then lr. */
export class ConstantLR extends LRScheduler {
  factor: number;
  total_iters: number;
  constructor(optimizer: Optimizer, options: ConstantLROptions = {}) {
    const factor = options.factor ?? 1 / 3;
    if (factor > 1 || factor < 0) throw new RangeError('Constant multiplicative factor expected to be between 0 and 1.');
    super(optimizer, options.last_epoch, options.verbose);
    this.factor = factor;
    this.total_iters = options.total_iters ?? 5;
    this._initial_step();
  }
  get_lr(): number[] {
    if (this.last_epoch === 0) return this.groups.map((g) => g.lr * this.factor);
    if (this.last_epoch !== this.total_iters) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1.0 / this.factor));
  }
  protected override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((b) => b * (this.factor + (this.last_epoch >= this.total_iters ? 1 : 0) * (1 - this.factor)));
  }
}

export interface LinearLROptions extends SchedulerOptions { start_factor?: number; end_factor?: number; total_iters?: number }
/** Multiplies lr by a factor moving linearly from start_factor to end_factor over total_iters steps. */
export class LinearLR extends LRScheduler {
  start_factor: number;
  end_factor: number;
  total_iters: number;
  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    const start = options.start_factor ?? 1 / 3, end = options.end_factor ?? 1.0;
    if (start > 1 || start <= 0) throw new RangeError('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    if (end > 1 || end < 0) throw new RangeError('Ending multiplicative factor expected to be between 0 and 1.');
    super(optimizer, options.last_epoch, options.verbose);
    this.start_factor = start;
    this.end_factor = end;
    this.total_iters = options.total_iters ?? 5;
    this._initial_step();
  }
  get_lr(): number[] {
    if (this.last_epoch === 0) return this.groups.map((g) => g.lr * this.start_factor);
    if (this.last_epoch > this.total_iters) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1 + (this.end_factor - this.start_factor) /
      (this.total_iters * this.start_factor + (this.last_epoch - 1) * (this.end_factor - this.start_factor))));
  }
  protected override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((b) => b * (this.start_factor +
      (this.end_factor - this.start_factor) * Math.min(this.total_iters, this.last_epoch) / this.total_iters));
  }
}

export interface ExponentialLROptions extends SchedulerOptions { gamma?: number }
/** lr *= gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;
  constructor(optimizer: Optimizer, gamma: number | ExponentialLROptions, options?: ExponentialLROptions) {
    const o = opts<ExponentialLROptions>('gamma', gamma, options);
    if (typeof o.gamma !== 'number') throw new TypeError('ExponentialLR needs gamma');
    super(optimizer, o.last_epoch, o.verbose);
    this.gamma = o.gamma;
    this._initial_step();
  }
  get_lr(): number[] {
    if (this.last_epoch === 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }
  protected override _get_closed_form_lr(): number[] { return this.base_lrs.map((b) => b * this.gamma ** this.last_epoch); }
}

export interface PolynomialLROptions extends SchedulerOptions { total_iters?: number; power?: number }
/** lr decays as (1 - t / total_iters)^power. */
export class PolynomialLR extends LRScheduler {
  total_iters: number;
  power: number;
  constructor(optimizer: Optimizer, options: PolynomialLROptions = {}) {
    super(optimizer, options.last_epoch, options.verbose);
    this.total_iters = options.total_iters ?? 5;
    this.power = options.power ?? 1.0;
    this._initial_step();
  }
  get_lr(): number[] {
    if (this.last_epoch === 0 || this.last_epoch > this.total_iters) return this.groups.map((g) => g.lr);
    const f = ((1.0 - this.last_epoch / this.total_iters) / (1.0 - (this.last_epoch - 1) / this.total_iters)) ** this.power;
    return this.groups.map((g) => g.lr * f);
  }
  protected override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((b) => b * (1.0 - Math.min(this.total_iters, this.last_epoch) / this.total_iters) ** this.power);
  }
}

export interface CosineAnnealingLROptions extends SchedulerOptions { T_max?: number; eta_min?: number }
/** Cosine annealing from the initial lr down to eta_min over T_max epochs (SGDR without restarts). */
export class CosineAnnealingLR extends LRScheduler {
  T_max: number;
  eta_min: number;
  constructor(optimizer: Optimizer, T_max: number | CosineAnnealingLROptions, options?: CosineAnnealingLROptions) {
    const o = opts<CosineAnnealingLROptions>('T_max', T_max, options);
    if (typeof o.T_max !== 'number' || !(o.T_max > 0)) throw new RangeError(`CosineAnnealingLR: T_max must be positive, got ${o.T_max}`);
    super(optimizer, o.last_epoch, o.verbose);
    this.T_max = o.T_max;
    this.eta_min = o.eta_min ?? 0;
    this._initial_step();
  }
  get_lr(): number[] {
    const { T_max, eta_min, last_epoch } = this;
    if (last_epoch === 0) return this.groups.map((g) => g.lr);
    if (this._step_count === 1 && last_epoch > 0) {
      return this.base_lrs.map((b) => eta_min + (b - eta_min) * (1 + Math.cos(last_epoch * Math.PI / T_max)) / 2);
    }
    if ((((last_epoch - 1 - T_max) % (2 * T_max)) + 2 * T_max) % (2 * T_max) === 0) {
      return this.groups.map((g, i) => g.lr + (this.base_lrs[i] - eta_min) * (1 - Math.cos(Math.PI / T_max)) / 2);
    }
    return this.groups.map((g) => (1 + Math.cos(Math.PI * last_epoch / T_max)) /
      (1 + Math.cos(Math.PI * (last_epoch - 1) / T_max)) * (g.lr - eta_min) + eta_min);
  }
  protected override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((b) => this.eta_min + (b - this.eta_min) * (1 + Math.cos(Math.PI * this.last_epoch / this.T_max)) / 2);
  }
}

export interface OneCycleLROptions extends SchedulerOptions {
  max_lr?: number | number[]; total_steps?: number | null; epochs?: number | null; steps_per_epoch?: number | null;
  pct_start?: number; anneal_strategy?: 'cos' | 'linear'; cycle_momentum?: boolean;
  base_momentum?: number | number[]; max_momentum?: number | number[]; div_factor?: number; final_div_factor?: number;
  three_phase?: boolean;
}
interface Phase { end_step: number; start_lr: string; end_lr: string; start_momentum: string; end_momentum: string }

/** The 1cycle policy: lr warms up to max_lr then anneals far below the start; momentum cycles inversely. */
export class OneCycleLR extends LRScheduler {
  total_steps: number;
  _schedule_phases: Phase[];
  anneal_strategy: 'cos' | 'linear';
  cycle_momentum: boolean;
  use_beta1 = false;

  constructor(optimizer: Optimizer, max_lr: number | number[] | OneCycleLROptions, options?: OneCycleLROptions) {
    const o = opts<OneCycleLROptions>('max_lr', max_lr, options);
    requireOptimizer(optimizer);
    let total: number;
    if (o.total_steps == null && o.epochs == null && o.steps_per_epoch == null) {
      throw new RangeError('You must define either total_steps OR (epochs AND steps_per_epoch)');
    } else if (o.total_steps != null) {
      if (!Number.isInteger(o.total_steps) || o.total_steps <= 0) throw new RangeError(`Expected positive integer total_steps, but got ${o.total_steps}`);
      total = o.total_steps;
    } else {
      if (!Number.isInteger(o.epochs) || o.epochs! <= 0) throw new RangeError(`Expected positive integer epochs, but got ${o.epochs}`);
      if (!Number.isInteger(o.steps_per_epoch) || o.steps_per_epoch! <= 0) throw new RangeError(`Expected positive integer steps_per_epoch, but got ${o.steps_per_epoch}`);
      total = o.epochs! * o.steps_per_epoch!;
    }
    const pct = o.pct_start ?? 0.3;
    if (!(pct >= 0 && pct <= 1)) throw new RangeError(`Expected float between 0 and 1 pct_start, but got ${pct}`);
    const strategy = o.anneal_strategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear') throw new RangeError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${strategy}`);
    if (o.max_lr == null) throw new TypeError('OneCycleLR needs max_lr');
    const last_epoch = o.last_epoch ?? -1;
    const fmt = (name: string, v: number | number[]): number[] => {
      if (Array.isArray(v)) {
        if (v.length !== optimizer.param_groups.length) throw new RangeError(`expected ${optimizer.param_groups.length} values for ${name}, got ${v.length}`);
        return v;
      }
      return optimizer.param_groups.map(() => v);
    };
    const maxLrs = fmt('max_lr', o.max_lr);
    const div = o.div_factor ?? 25, finalDiv = o.final_div_factor ?? 1e4;
    if (last_epoch === -1) {
      optimizer.param_groups.forEach((g, i) => {
        g.initial_lr = maxLrs[i] / div;
        g.max_lr = maxLrs[i];
        g.min_lr = g.initial_lr / finalDiv;
      });
    }
    const cycle = o.cycle_momentum ?? true;
    let useBeta1 = false;
    if (cycle) {
      if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) throw new Error('optimizer must support momentum with `cycle_momentum` option enabled');
      useBeta1 = 'betas' in optimizer.defaults;
      const maxM = fmt('max_momentum', o.max_momentum ?? 0.95), baseM = fmt('base_momentum', o.base_momentum ?? 0.85);
      if (last_epoch === -1) {
        optimizer.param_groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxM[i], ...(g.betas as number[]).slice(1)];
          else g.momentum = maxM[i];
          g.max_momentum = maxM[i];
          g.base_momentum = baseM[i];
        });
      }
    }
    super(optimizer, last_epoch, o.verbose);
    this.total_steps = total;
    this._schedule_phases = o.three_phase
      ? [
        { end_step: pct * total - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
        { end_step: 2 * pct * total - 2, start_lr: 'max_lr', end_lr: 'initial_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
        { end_step: total - 1, start_lr: 'initial_lr', end_lr: 'min_lr', start_momentum: 'max_momentum', end_momentum: 'max_momentum' },
      ]
      : [
        { end_step: pct * total - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
        { end_step: total - 1, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
      ];
    this.anneal_strategy = strategy;
    this.cycle_momentum = cycle;
    this.use_beta1 = useBeta1;
    this._initial_step();
  }

  private _anneal(start: number, end: number, pct: number): number {
    if (this.anneal_strategy === 'cos') return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    return (end - start) * pct + start;
  }

  get_lr(): number[] {
    const step = this.last_epoch;
    if (step > this.total_steps) throw new RangeError(`Tried to step ${step + 1} times. The specified number of total steps is ${this.total_steps}`);
    return this.groups.map((g) => {
      let start = 0, lr = 0, mom = 0;
      const phases = this._schedule_phases;
      for (let i = 0; i < phases.length; i++) {
        const end = phases[i].end_step;
        if (step <= end || i === phases.length - 1) {
          const pct = (step - start) / (end - start);
          lr = this._anneal(g[phases[i].start_lr], g[phases[i].end_lr], pct);
          if (this.cycle_momentum) mom = this._anneal(g[phases[i].start_momentum], g[phases[i].end_momentum], pct);
          break;
        }
        start = end;
      }
      if (this.cycle_momentum) {
        if (this.use_beta1) g.betas = [mom, ...(g.betas as number[]).slice(1)];
        else g.momentum = mom;
      }
      return lr;
    });
  }
}

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max'; factor?: number; patience?: number; threshold?: number; threshold_mode?: 'rel' | 'abs';
  cooldown?: number; min_lr?: number | number[]; eps?: number; verbose?: boolean;
}

/** Reduces lr by `factor` when a metric has stopped improving for `patience` epochs: step(metric). */
export class ReduceLROnPlateau {
  optimizer: Optimizer;
  factor: number;
  min_lrs: number[];
  patience: number;
  verbose: boolean;
  cooldown: number;
  cooldown_counter = 0;
  mode: 'min' | 'max';
  threshold: number;
  threshold_mode: 'rel' | 'abs';
  best = Infinity;
  num_bad_epochs = 0;
  mode_worse = Infinity;
  eps: number;
  last_epoch = 0;
  _last_lr: number[];

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    const factor = options.factor ?? 0.1;
    if (factor >= 1.0) throw new RangeError('Factor should be < 1.0.');
    this.factor = factor;
    this.optimizer = requireOptimizer(optimizer);
    const min_lr = options.min_lr ?? 0;
    if (Array.isArray(min_lr)) {
      if (min_lr.length !== optimizer.param_groups.length) throw new RangeError(`expected ${optimizer.param_groups.length} min_lrs, got ${min_lr.length}`);
      this.min_lrs = [...min_lr];
    } else this.min_lrs = optimizer.param_groups.map(() => min_lr);
    this.patience = options.patience ?? 10;
    this.verbose = options.verbose ?? false;
    this.cooldown = options.cooldown ?? 0;
    this.mode = options.mode ?? 'min';
    this.threshold = options.threshold ?? 1e-4;
    this.threshold_mode = options.threshold_mode ?? 'rel';
    this.eps = options.eps ?? 1e-8;
    this._init_is_better();
    this._reset();
    this._last_lr = optimizer.param_groups.map((g) => g.lr as number);
  }

  private _reset(): void {
    this.best = this.mode_worse;
    this.cooldown_counter = 0;
    this.num_bad_epochs = 0;
  }

  /** `metrics`: a number or a one-element tensor (read synchronously). */
  step(metrics: number | { itemSync(): number | boolean }, epoch?: number): void {
    const current = typeof metrics === 'number' ? metrics : Number(metrics.itemSync());
    this.last_epoch = epoch ?? this.last_epoch + 1;
    if (this.is_better(current, this.best)) {
      this.best = current;
      this.num_bad_epochs = 0;
    } else this.num_bad_epochs++;
    if (this.in_cooldown) {
      this.cooldown_counter--;
      this.num_bad_epochs = 0;
    }
    if (this.num_bad_epochs > this.patience) {
      this._reduce_lr(this.last_epoch);
      this.cooldown_counter = this.cooldown;
      this.num_bad_epochs = 0;
    }
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr as number);
  }

  private _reduce_lr(epoch: number): void {
    this.optimizer.param_groups.forEach((g, i) => {
      const old = Number(g.lr);
      const nw = Math.max(old * this.factor, this.min_lrs[i]);
      if (old - nw > this.eps) {
        g.lr = nw;
        if (this.verbose) console.log(`Epoch ${epoch}: reducing learning rate of group ${i} to ${nw.toExponential(4)}.`);
      }
    });
  }

  get in_cooldown(): boolean { return this.cooldown_counter > 0; }

  is_better(a: number, best: number): boolean {
    if (this.mode === 'min' && this.threshold_mode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min' && this.threshold_mode === 'abs') return a < best - this.threshold;
    if (this.mode === 'max' && this.threshold_mode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  private _init_is_better(): void {
    if (this.mode !== 'min' && this.mode !== 'max') throw new RangeError(`mode ${this.mode} is unknown!`);
    if (this.threshold_mode !== 'rel' && this.threshold_mode !== 'abs') throw new RangeError(`threshold mode ${this.threshold_mode} is unknown!`);
    this.mode_worse = this.mode === 'min' ? Infinity : -Infinity;
  }

  get_last_lr(): number[] { return [...this._last_lr]; }

  state_dict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) if (k !== 'optimizer' && typeof v !== 'function') out[k] = deepCopy(v);
    return out;
  }

  load_state_dict(state_dict: SchedulerStateDict): void {
    for (const [k, v] of Object.entries(state_dict)) if (k !== 'optimizer') (this as Record<string, unknown>)[k] = deepCopy(v);
    this._init_is_better();
    // JSON turns +-Infinity into null: a null best means "nothing seen yet"
    if (typeof this.best !== 'number') this.best = this.mode_worse;
  }
}
