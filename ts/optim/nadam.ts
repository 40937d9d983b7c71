// torch.optim.NAdam (PyTorch 2's rule: mu_product_next = mu_product * mu_next; PyTorch 1.13
// multiplied by mu twice there, a bug fixed upstream), with momentum_decay and optional
// decoupled weight decay.
import type { Tensor } from '../tensor.js';
import { Optimizer, defined, checkLr, checkNonNegative, checkBetas, type ParamsInput, type ParamGroup, type OptimizerState, type GroupOptions } from './optimizer.js';
import { fusedUpdate, stateLike, stepTensor, incStep } from './fused.js';

export interface NAdamOptions {
  lr?: number; betas?: [number, number]; eps?: number; weight_decay?: number; momentum_decay?: number;
  decoupled_weight_decay?: boolean; maximize?: boolean; foreach?: boolean | null; differentiable?: boolean;
}

function check(g: GroupOptions): void {
  checkLr(g.lr); checkNonNegative('epsilon', g.eps); checkBetas(g.betas); checkNonNegative('weight_decay', g.weight_decay);
  checkNonNegative('momentum_decay', g.momentum_decay);
}

/** `new optim.NAdam(params, { lr: 2e-3, momentum_decay: 4e-3 })` */
export class NAdam extends Optimizer {
  constructor(params: ParamsInput, options: NAdamOptions = {}) {
    const defaults = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, momentum_decay: 4e-3, decoupled_weight_decay: false,
      maximize: false, foreach: null, differentiable: false, ...defined(options) };
    check(defaults);
    super(params, defaults);
  }
  protected _checkGroup(g: ParamGroup): void { check(g); }
  protected _update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup): void {
    if (!state.step) { state.step = stepTensor(); state.mu_product = stepTensor(1); state.exp_avg = stateLike(p); state.exp_avg_sq = stateLike(p); }
    const step = incStep(state);
    const [beta1, beta2] = g.betas as [number, number];
    const bc2 = 1 - beta2 ** step;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * g.momentum_decay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * g.momentum_decay));
    // mu_product is a float32 tensor in PyTorch: round as it does
    const mp: Tensor = state.mu_product;
    const d = mp._bytes();
    const muProduct = Math.fround(d[mp._offset] * mu);
    d[mp._offset] = muProduct;
    mp._bumpVersion();
    const muProductNext = muProduct * muNext; // a Python float in PyTorch 2 (mu_product.item() * mu_next)
    const c1 = -g.lr * (1 - mu) / (1 - muProduct);
    const c2 = -g.lr * muNext / (1 - muProductNext);
    const decoupled = !!g.decoupled_weight_decay;
    fusedUpdate('nadam', p, grad, { m: state.exp_avg, v: state.exp_avg_sq },
      { b1: beta1, omb1: 1 - beta1, b2: beta2, omb2: 1 - beta2, bc2, eps: g.eps, c1, c2, wd: g.weight_decay, decay: 1 - g.lr * g.weight_decay },
      { maximize: g.maximize, decoupled });
  }
}
