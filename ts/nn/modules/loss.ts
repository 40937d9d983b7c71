// Loss modules: PyTorch's constructor arguments, positionally or by name; forward(input, target).
import { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import * as F from '../functional/index.js';
import { parseArgs } from '../functional/args.js';

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

type WeightOpts = BaseOpts & { weight?: Tensor | null; ignore_index?: number; label_smoothing?: number; pos_weight?: Tensor | null };
const BASE = ['size_average', 'reduce', 'reduction'] as const;
/** PyTorch's constructor arguments (positional..., options?) by name. */
const opts = <T extends object>(op: string, args: unknown[], names: readonly string[]): T => parseArgs<T>(op, args, names as (keyof T & string)[], {});

/** nn.NLLLoss({ weight, ignore_index = -100, reduction = 'mean' }) */
export class NLLLoss extends Loss {
  declare weight: Tensor | null;
  ignore_index: number;
  constructor(...args: unknown[]) {
    const o = opts<WeightOpts>('NLLLoss', args, ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction']);
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
  constructor(...args: unknown[]) {
    const o = opts<WeightOpts>('CrossEntropyLoss', args, ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction', 'label_smoothing']);
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
  constructor(...args: unknown[]) { super(opts<BaseOpts>('MSELoss', args, BASE)); }
  override forward(input: Tensor, target: Tensor): Tensor { return F.mse_loss(input, target, { reduction: this.reduction as Reduction }); }
}
export class L1Loss extends Loss {
  constructor(...args: unknown[]) { super(opts<BaseOpts>('L1Loss', args, BASE)); }
  override forward(input: Tensor, target: Tensor): Tensor { return F.l1_loss(input, target, { reduction: this.reduction as Reduction }); }
}
export class SmoothL1Loss extends Loss {
  beta: number;
  constructor(...args: unknown[]) {
    const o = opts<BaseOpts & { beta?: number }>('SmoothL1Loss', args, [...BASE, 'beta']);
    super(o); this.beta = o.beta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor { return F.smooth_l1_loss(input, target, { reduction: this.reduction as Reduction, beta: this.beta }); }
}
export class HuberLoss extends Loss {
  delta: number;
  constructor(...args: unknown[]) {
    const o = opts<{ reduction?: Reduction; delta?: number }>('HuberLoss', args, ['reduction', 'delta']);
    super(o); this.delta = o.delta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor { return F.huber_loss(input, target, { reduction: this.reduction as Reduction, delta: this.delta }); }
}
export class BCELoss extends Loss {
  declare weight: Tensor | null;
  constructor(...args: unknown[]) {
    const o = opts<WeightOpts>('BCELoss', args, ['weight', ...BASE]);
    super(o); this.register_buffer('weight', o.weight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor { return F.binary_cross_entropy(input, target, { weight: this.weight, reduction: this.reduction as Reduction }); }
}
export class BCEWithLogitsLoss extends Loss {
  declare weight: Tensor | null;
  declare pos_weight: Tensor | null;
  constructor(...args: unknown[]) {
    const o = opts<WeightOpts>('BCEWithLogitsLoss', args, ['weight', ...BASE, 'pos_weight']);
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
  constructor(...args: unknown[]) {
    const o = opts<BaseOpts & { reduction?: Reduction | 'batchmean'; log_target?: boolean }>('KLDivLoss', args, [...BASE, 'log_target']);
    super();
    this.reduction = (o.size_average ?? null) !== null || (o.reduce ?? null) !== null ? reductionOf(o) : o.reduction ?? 'mean';
    this.log_target = o.log_target ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor { return F.kl_div(input, target, { reduction: this.reduction as Reduction, log_target: this.log_target }); }
}
