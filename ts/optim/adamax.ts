// torch.optim.Adamax: Adam with the infinity norm, exp_inf = max(beta2 * exp_inf, |grad| + eps).
import type { Tensor } from '../tensor.js';
import { Optimizer, defined, checkLr, checkNonNegative, checkBetas, type ParamsInput, type ParamGroup, type OptimizerState, type GroupOptions } from './optimizer.js';
import { fusedUpdate, stateLike, stepTensor, incStep } from './fused.js';

export interface AdamaxOptions {
  lr?: number; betas?: [number, number]; eps?: number; weight_decay?: number; maximize?: boolean;
  foreach?: boolean | null; differentiable?: boolean;
}

function check(g: GroupOptions): void {
  checkLr(g.lr); checkNonNegative('epsilon', g.eps); checkBetas(g.betas); checkNonNegative('weight_decay', g.weight_decay);
}

/** `new optim.Adamax(params, { lr: 2e-3 })` */
export class Adamax extends Optimizer {
  constructor(params: ParamsInput, options: AdamaxOptions = {}) {
    const defaults = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, maximize: false, foreach: null, differentiable: false, ...defined(options) };
    check(defaults);
    super(params, defaults);
  }
  protected _checkGroup(g: ParamGroup): void { check(g); }
  protected _update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup): void {
    if (!state.step) { state.step = stepTensor(); state.exp_avg = stateLike(p); state.exp_inf = stateLike(p); }
    const step = incStep(state);
    const [beta1, beta2] = g.betas as [number, number];
    const clr = g.lr / (1 - beta1 ** step);
    fusedUpdate('adamax', p, grad, { m: state.exp_avg, u: state.exp_inf },
      { nclr: -clr, b1: beta1, omb1: 1 - beta1, b2: beta2, eps: g.eps, wd: g.weight_decay }, { maximize: g.maximize });
  }
}
