// torch.optim.SGD: stochastic gradient descent with momentum, dampening, Nesterov momentum,
// weight decay (L2) and maximize. As in PyTorch, the momentum buffer equals the gradient at its
// first step: buf = d on step 1, then buf = momentum * buf + (1 - dampening) * d.
import type { Tensor } from '../tensor.js';
import { Optimizer, defined, checkLr, checkNonNegative, type ParamsInput, type ParamGroup, type OptimizerState } from './optimizer.js';
import { fusedUpdate, stateLike } from './fused.js';

export interface SGDOptions {
  lr?: number; momentum?: number; dampening?: number; weight_decay?: number; nesterov?: boolean; maximize?: boolean;
  foreach?: boolean | null; differentiable?: boolean;
}

/** `new optim.SGD(params, { lr: 0.01, momentum: 0.9 })` */
export class SGD extends Optimizer {
  constructor(params: ParamsInput, options: SGDOptions = {}) {
    const defaults = { lr: 1e-3, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false, foreach: null, differentiable: false, ...defined(options) };
    checkLr(defaults.lr);
    checkNonNegative('momentum', defaults.momentum);
    checkNonNegative('weight_decay', defaults.weight_decay);
    if (defaults.nesterov && (defaults.momentum <= 0 || defaults.dampening !== 0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
    super(params, defaults);
  }

  protected _checkGroup(g: ParamGroup): void {
    checkLr(g.lr);
    checkNonNegative('momentum', g.momentum);
    checkNonNegative('weight_decay', g.weight_decay);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
  }

  protected _update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup): void {
    const momentum = g.momentum !== 0;
    let buf: Tensor | null = null;
    let first = false;
    if (momentum) {
      buf = state.momentum_buffer ?? null;
      if (!buf) { buf = stateLike(p); first = true; }
    }
    fusedUpdate('sgd', p, grad, { b: buf }, { nlr: -g.lr, mom: g.momentum, damp1: 1 - g.dampening, wd: g.weight_decay },
      { maximize: g.maximize, nesterov: momentum && g.nesterov, first, momentum });
    state.momentum_buffer = buf;
  }
}
