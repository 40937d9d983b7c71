// Loss modules: options as PyTorch's keyword arguments, forward(input, target).
import { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import * as F from '../functional/index.js';

type Reduction = 'none' | 'mean' | 'sum';
interface BaseOpts { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction }

function reductionOf(o: BaseOpts): Reduction {
  if ((o.size_average ?? null) !== null || (o.reduce ?? null) !== null) {
    return o.reduce === false ? 'none' : o.size_average === false ? 'sum' : 'mean';
  }
  return o.reduction ?? 'mean';
}

abstract class Loss extends Module {
  reduction: string;
  constructor(o: BaseOpts) { super(); this.reduction = reductionOf(o); }
}

/** nn.NLLLoss({ weight, ignore_index = -100, reduction = 'mean' }) */
export class NLLLoss extends Loss {
  declare weight: Tensor | null;
  ignore_index: number;
  constructor(o: BaseOpts & { weight?: Tensor | null; ignore_index?: number } = {}) {
    super(o);
    this.register_buffer('weight', o.weight ?? null);
    this.ignore_index = o.ignore_index ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nll_loss(input, target, { weight: this.weight, ignore_index: this.ignore_index, reduction: this.reduction as Reduction });
  }
}
/** nn.CrossEntropyLoss({ weight, ignore_index = -100, reduction = 'mean', label_smoothing = 0 }) */
export class CrossEntropyLoss extends Loss {
  declare weight: Tensor | null;
  ignore_index: number;
  label_smoothing: number;
  constructor(o: BaseOpts & { weight?: Tensor | null; ignore_index?: number; label_smoothing?: number } = {}) {
    super(o);
    this.register_buffer('weight', o.weight ?? null);
    this.ignore_index = o.ignore_index ?? -100;
    this.label_smoothing = o.label_smoothing ?? 0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.cross_entropy(input, target, { weight: this.weight, ignore_index: this.ignore_index, reduction: this.reduction as Reduction, label_smoothing: this.label_smoothing });
  }
}
export class MSELoss extends Loss {
  constructor(o: BaseOpts = {}) { super(o); }
  override forward(input: Tensor, target: Tensor): Tensor { return F.mse_loss(input, target, { reduction: this.reduction as Reduction }); }
}
export class L1Loss extends Loss {
  constructor(o: BaseOpts = {}) { super(o); }
  override forward(input: Tensor, target: Tensor): Tensor { return F.l1_loss(input, target, { reduction: this.reduction as Reduction }); }
}
export class SmoothL1Loss extends Loss {
  beta: number;
  constructor(o: BaseOpts & { beta?: number } = {}) { super(o); this.beta = o.beta ?? 1; }
  override forward(input: Tensor, target: Tensor): Tensor { return F.smooth_l1_loss(input, target, { reduction: this.reduction as Reduction, beta: this.beta }); }
}
export class HuberLoss extends Loss {
  delta: number;
  constructor(o: { reduction?: Reduction; delta?: number } = {}) { super(o); this.delta = o.delta ?? 1; }
  override forward(input: Tensor, target: Tensor): Tensor { return F.huber_loss(input, target, { reduction: this.reduction as Reduction, delta: this.delta }); }
}
export class BCELoss extends Loss {
  declare weight: Tensor | null;
  constructor(o: BaseOpts & { weight?: Tensor | null } = {}) { super(o); this.register_buffer('weight', o.weight ?? null); }
  override forward(input: Tensor, target: Tensor): Tensor { return F.binary_cross_entropy(input, target, { weight: this.weight, reduction: this.reduction as Reduction }); }
}
export class BCEWithLogitsLoss extends Loss {
  declare weight: Tensor | null;
  declare pos_weight: Tensor | null;
  constructor(o: BaseOpts & { weight?: Tensor | null; pos_weight?: Tensor | null } = {}) {
    super(o);
    this.register_buffer('weight', o.weight ?? null);
    this.register_buffer('pos_weight', o.pos_weight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy_with_logits(input, target, { weight: this.weight, pos_weight: this.pos_weight, reduction: this.reduction as Reduction });
  }
}
export class KLDivLoss extends Module {
  reduction: string;
  log_target: boolean;
  constructor(o: BaseOpts & { reduction?: Reduction | 'batchmean'; log_target?: boolean } = {}) {
    super();
    this.reduction = (o.size_average ?? null) !== null || (o.reduce ?? null) !== null ? reductionOf(o) : o.reduction ?? 'mean';
    this.log_target = o.log_target ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor { return F.kl_div(input, target, { reduction: this.reduction as Reduction, log_target: this.log_target }); }
}
