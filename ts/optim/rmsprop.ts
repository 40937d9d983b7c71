// torch.optim.RMSprop: square_avg with decay alpha, optionally centered (subtracting the squared
// running mean of the gradient) and with a momentum buffer.
import type { Tensor } from '../tensor.js';
import { Optimizer, defined, checkLr, checkNonNegative, type ParamsInput, type ParamGroup, type OptimizerState, type GroupOptions } from './optimizer.js';
import { fusedUpdate, stateLike, stepTensor, incStep } from './fused.js';

export interface RMSpropOptions {
  lr?: number; alpha?: number; eps?: number; weight_decay?: number; momentum?: number; centered?: boolean; maximize?: boolean;
  foreach?: boolean | null; differentiable?: boolean;
}

function check(g: GroupOptions): void {
  checkLr(g.lr);
  checkNonNegative('epsilon', g.eps);
  checkNonNegative('momentum', g.momentum);
  checkNonNegative('weight_decay', g.weight_decay);
  checkNonNegative('alpha', g.alpha);
}

/** `new optim.RMSprop(params, { lr: 1e-2, alpha: 0.99, centered: false, momentum: 0 })` */
export class RMSprop extends Optimizer {
  constructor(params: ParamsInput, options: RMSpropOptions = {}) {
    const defaults = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false, maximize: false,
      foreach: null, differentiable: false, ...defined(options) };
    check(defaults);
    super(params, defaults);
  }
  protected _checkGroup(g: ParamGroup): void { check(g); }
  protected _update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup): void {
    if (!state.step) {
      state.step = stepTensor();
      state.square_avg = stateLike(p);
      if (g.momentum > 0) state.momentum_buffer = stateLike(p);
      if (g.centered) state.grad_avg = stateLike(p);
    }
    if (g.momentum > 0 && !state.momentum_buffer) state.momentum_buffer = stateLike(p);
    if (g.centered && !state.grad_avg) state.grad_avg = stateLike(p);
    incStep(state);
    fusedUpdate('rmsprop', p, grad, { s: state.square_avg, ga: state.grad_avg, b: state.momentum_buffer },
      { nlr: -g.lr, al: g.alpha, oma: 1 - g.alpha, eps: g.eps, wd: g.weight_decay, mom: g.momentum },
      { maximize: g.maximize, centered: g.centered, momentum: g.momentum > 0 });
  }
}
