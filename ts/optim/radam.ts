// torch.optim.RAdam: Adam with the variance rectification term once the approximated SMA length
// rho_t exceeds 5 (plain bias-corrected momentum before), optional decoupled weight decay.
import type { Tensor } from '../tensor.js';
import { Optimizer, defined, checkLr, checkNonNegative, checkBetas, type ParamsInput, type ParamGroup, type OptimizerState, type GroupOptions } from './optimizer.js';
import { fusedUpdate, stateLike, stepTensor, incStep } from './fused.js';

export interface RAdamOptions {
  lr?: number; betas?: [number, number]; eps?: number; weight_decay?: number; decoupled_weight_decay?: boolean;
  maximize?: boolean; foreach?: boolean | null; differentiable?: boolean;
}

function check(g: GroupOptions): void {
  checkLr(g.lr); checkNonNegative('epsilon', g.eps); checkBetas(g.betas); checkNonNegative('weight_decay', g.weight_decay);
}

/** `new optim.RAdam(params, { lr: 1e-3 })` */
export class RAdam extends Optimizer {
  constructor(params: ParamsInput, options: RAdamOptions = {}) {
    const defaults = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, decoupled_weight_decay: false,
      maximize: false, foreach: null, differentiable: false, ...defined(options) };
    check(defaults);
    super(params, defaults);
  }
  protected _checkGroup(g: ParamGroup): void { check(g); }
  protected _update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup): void {
    if (!state.step) { state.step = stepTensor(); state.exp_avg = stateLike(p); state.exp_avg_sq = stateLike(p); }
    const step = incStep(state);
    const [beta1, beta2] = g.betas as [number, number];
    const bc1 = 1 - beta1 ** step;
    const bc2 = 1 - beta2 ** step;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - 2 * step * beta2 ** step / bc2;
    const rectify = rhoT > 5;
    const rect = rectify ? Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 1;
    const decoupled = !!g.decoupled_weight_decay;
    fusedUpdate('radam', p, grad, { m: state.exp_avg, v: state.exp_avg_sq },
      { b1: beta1, omb1: 1 - beta1, b2: beta2, omb2: 1 - beta2, bc1, lr: g.lr, bc2s: Math.sqrt(bc2), eps: g.eps, rect,
        wd: g.weight_decay, decay: 1 - g.lr * g.weight_decay },
      { maximize: g.maximize, rectify, decoupled });
  }
}
