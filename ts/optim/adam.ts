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
  fusedUpdate('adam', p, grad, { m: state.exp_avg, v: state.exp_avg_sq, vm: state.max_exp_avg_sq },
    { nss: -stepSize, b1: beta1, omb1: 1 - beta1, b2: beta2, omb2: 1 - beta2, bc2s: Math.sqrt(bc2), eps: g.eps,
      wd: g.weight_decay, decay: 1 - g.lr * g.weight_decay },
    { maximize: g.maximize, amsgrad: g.amsgrad, decoupled });
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
