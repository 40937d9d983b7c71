// torch.optim.Adadelta (the optimizer of pytorch/examples' MNIST): square_avg and acc_delta
// running averages with decay rho; the update is lr * sqrt(acc_delta + eps) / sqrt(square_avg + eps) * grad.
import type { Tensor } from '../tensor.js';
import { Optimizer, defined, checkLr, checkNonNegative, type ParamsInput, type ParamGroup, type OptimizerState, type GroupOptions } from './optimizer.js';
import { fusedUpdate, stateLike, stepTensor, incStep } from './fused.js';

export interface AdadeltaOptions {
  lr?: number; rho?: number; eps?: number; weight_decay?: number; maximize?: boolean;
  foreach?: boolean | null; differentiable?: boolean;
}

function check(g: GroupOptions): void {
  checkLr(g.lr);
  if (!(g.rho >= 0 && g.rho <= 1)) throw new RangeError(`Invalid rho value: ${g.rho}`);
  checkNonNegative('epsilon', g.eps);
  checkNonNegative('weight_decay', g.weight_decay);
}

/** `new optim.Adadelta(model.parameters(), { lr: 1.0 })` */
export class Adadelta extends Optimizer {
  constructor(params: ParamsInput, options: AdadeltaOptions = {}) {
    const defaults = { lr: 1.0, rho: 0.9, eps: 1e-6, weight_decay: 0, maximize: false, foreach: null, differentiable: false, ...defined(options) };
    check(defaults);
    super(params, defaults);
  }
  protected _checkGroup(g: ParamGroup): void { check(g); }
  protected _update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup): void {
    if (!state.step) {
      state.step = stepTensor();
      state.square_avg = stateLike(p);
      state.acc_delta = stateLike(p);
    }
    incStep(state);
    fusedUpdate('adadelta', p, grad, { s: state.square_avg, a: state.acc_delta },
      { nlr: -g.lr, rho: g.rho, omr: 1 - g.rho, eps: g.eps, wd: g.weight_decay }, { maximize: g.maximize });
  }
}
