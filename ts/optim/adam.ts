// torch.optim.Adam and AdamW. Adam adds weight_decay * p to the gradient (L2); AdamW decays the
// parameter itself first (p *= 1 - lr * weight_decay). Both: amsgrad, maximize, PyTorch's bias
// corrections (step_size = lr / (1 - beta1^t), denom = sqrt(v) / sqrt(1 - beta2^t) + eps).
import type { Tensor } from '../tensor.js';
import { Optimizer, defined, checkLr, checkNonNegative, checkBetas, type ParamsInput, type ParamGroup, type OptimizerState, type GroupOptions } from './optimizer.js';
import { fusedUpdate, stateLike, stepTensor, incStep } from './fused.js';

export interface AdamOptions {
  lr?: number; betas?: [number, number]; eps?: number; weight_decay?: number; amsgrad?: boolean; maximize?: boolean;
  foreach?: boolean | null; capturable?: boolean; differentiable?: boolean; fused?: boolean | null;
}

const MAXIMIZE = 1, AMSGRAD = 2, DECOUPLED = 4;

function checkAdam(g: GroupOptions): void {
  checkLr(g.lr);
  checkNonNegative('epsilon', g.eps);
  checkBetas(g.betas);
  checkNonNegative('weight_decay', g.weight_decay);
}

function adamUpdate(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup, decoupled: boolean): void {
  if (!state.step) {
    state.step = stepTensor();
    state.exp_avg = stateLike(p);
    state.exp_avg_sq = stateLike(p);
    if (g.amsgrad) state.max_exp_avg_sq = stateLike(p);
  }
  if (g.amsgrad && !state.max_exp_avg_sq) state.max_exp_avg_sq = stateLike(p);
  const step = incStep(state);
  const [beta1, beta2] = g.betas as [number, number];
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  const stepSize = g.lr / bc1;
  const flags = (g.maximize ? MAXIMIZE : 0) | (g.amsgrad ? AMSGRAD : 0) | (decoupled ? DECOUPLED : 0);
  fusedUpdate('adam', p, grad, [state.exp_avg, state.exp_avg_sq, g.amsgrad ? state.max_exp_avg_sq : null],
    [-stepSize, beta1, beta2, Math.sqrt(bc2), g.eps, g.weight_decay, 1 - g.lr * g.weight_decay], flags);
}

/** `new optim.Adam(params, { lr: 1e-3, betas: [0.9, 0.999] })` */
export class Adam extends Optimizer {
  constructor(params: ParamsInput, options: AdamOptions = {}) {
    const defaults = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false,
      foreach: null, capturable: false, differentiable: false, fused: null, ...defined(options) };
    checkAdam(defaults);
    super(params, defaults);
  }
  protected _checkGroup(g: ParamGroup): void { checkAdam(g); }
  protected _update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup): void { adamUpdate(p, grad, state, g, false); }
}

/** `new optim.AdamW(params, { lr: 1e-3, weight_decay: 1e-2 })` (decoupled weight decay) */
export class AdamW extends Optimizer {
  constructor(params: ParamsInput, options: AdamOptions = {}) {
    const defaults = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 1e-2, amsgrad: false, maximize: false,
      foreach: null, capturable: false, differentiable: false, fused: null, ...defined(options) };
    checkAdam(defaults);
    super(params, defaults);
  }
  protected _checkGroup(g: ParamGroup): void { checkAdam(g); }
  protected _update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup): void { adamUpdate(p, grad, state, g, true); }
}
