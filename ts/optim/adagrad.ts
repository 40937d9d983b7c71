// torch.optim.Adagrad: sum += grad^2; p -= clr * grad / (sqrt(sum) + eps) with
// clr = lr / (1 + (step - 1) * lr_decay).
import type { Tensor } from '../tensor.js';
import { Optimizer, defined, checkLr, checkNonNegative, type ParamsInput, type ParamGroup, type OptimizerState, type GroupOptions } from './optimizer.js';
import { fusedUpdate, stateLike, stepTensor, incStep } from './fused.js';

export interface AdagradOptions {
  lr?: number; lr_decay?: number; weight_decay?: number; initial_accumulator_value?: number; eps?: number; maximize?: boolean;
  foreach?: boolean | null; differentiable?: boolean;
}

function check(g: GroupOptions): void {
  checkLr(g.lr);
  checkNonNegative('lr_decay', g.lr_decay);
  checkNonNegative('weight_decay', g.weight_decay);
  checkNonNegative('initial_accumulator_value', g.initial_accumulator_value);
  checkNonNegative('epsilon', g.eps);
}

/** `new optim.Adagrad(params, { lr: 1e-2, lr_decay: 0, initial_accumulator_value: 0 })` */
export class Adagrad extends Optimizer {
  constructor(params: ParamsInput, options: AdagradOptions = {}) {
    const defaults = { lr: 1e-2, lr_decay: 0, weight_decay: 0, initial_accumulator_value: 0, eps: 1e-10, maximize: false,
      foreach: null, differentiable: false, ...defined(options) };
    check(defaults);
    super(params, defaults); // (add_param_group creates the state eagerly, as PyTorch's constructor does)
  }
  private _init(p: Tensor, g: ParamGroup): OptimizerState {
    let s = this.state.get(p);
    if (!s) { s = {}; this.state.set(p, s); }
    if (!s.step) { s.step = stepTensor(); s.sum = stateLike(p, g.initial_accumulator_value); }
    return s;
  }
  override add_param_group(group: Parameters<Optimizer['add_param_group']>[0]): void {
    super.add_param_group(group);
    const g = this.param_groups[this.param_groups.length - 1];
    for (const p of g.params) this._init(p, g);
  }
  protected _checkGroup(g: ParamGroup): void { check(g); }
  protected _update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup): void {
    if (!state.step) Object.assign(state, this._init(p, g));
    const step = incStep(state);
    const clr = g.lr / (1 + (step - 1) * g.lr_decay);
    fusedUpdate('adagrad', p, grad, { s: state.sum }, { nclr: -clr, eps: g.eps, wd: g.weight_decay }, { maximize: g.maximize });
  }
}
