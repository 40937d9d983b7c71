// Dropout layers and activations as modules.
import { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import * as F from '../functional/index.js';
import { pyBool, pyFloat } from '../repr.js';
import { parseArgs } from '../functional/args.js';

const inplaceStr = (b: boolean) => (b ? 'inplace=True' : '');

abstract class DropoutNd extends Module {
  p: number;
  inplace: boolean;
  constructor(...args: unknown[]) {
    super();
    const { p, inplace } = parseArgs<{ p: number; inplace: boolean }>(new.target.name, args, ['p', 'inplace'], { p: 0.5, inplace: false });
    if (p < 0 || p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p; this.inplace = inplace;
  }
  override extra_repr(): string { return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`; }
}
/** nn.Dropout(p=0.5, inplace=false): active in train(), identity in eval() */
export class Dropout extends DropoutNd {
  override forward(x: Tensor): Tensor { return F.dropout(x, this.p, this.training, this.inplace); }
}
/** nn.Dropout2d(p=0.5, inplace=false): zeroes whole channels */
export class Dropout2d extends DropoutNd {
  override forward(x: Tensor): Tensor { return F.dropout2d(x, this.p, this.training, this.inplace); }
}
/** nn.Dropout1d(p=0.5, inplace=false) */
export class Dropout1d extends DropoutNd {
  override forward(x: Tensor): Tensor { return F.dropout1d(x, this.p, this.training, this.inplace); }
}

/** The (inplace=False) constructor many activations share. */
const inplaceArg = (op: string, args: unknown[]): boolean => parseArgs<{ inplace: boolean }>(op, args, ['inplace'], { inplace: false }).inplace;

export class ReLU extends Module {
  inplace: boolean;
  constructor(...args: unknown[]) { super(); this.inplace = inplaceArg('ReLU', args); }
  override forward(x: Tensor): Tensor { return F.relu(x, this.inplace); }
  override extra_repr(): string { return inplaceStr(this.inplace); }
}
export class SiLU extends Module {
  inplace: boolean;
  constructor(...args: unknown[]) { super(); this.inplace = inplaceArg('SiLU', args); }
  override forward(x: Tensor): Tensor { return F.silu(x, this.inplace); }
  override extra_repr(): string { return inplaceStr(this.inplace); }
}
/** nn.Hardswish(inplace=false) */
export class Hardswish extends Module {
  inplace: boolean;
  constructor(...args: unknown[]) { super(); this.inplace = inplaceArg('Hardswish', args); }
  override forward(x: Tensor): Tensor { return F.hardswish(x, this.inplace); }
}
/** nn.Hardsigmoid(inplace=false) */
export class Hardsigmoid extends Module {
  inplace: boolean;
  constructor(...args: unknown[]) { super(); this.inplace = inplaceArg('Hardsigmoid', args); }
  override forward(x: Tensor): Tensor { return F.hardsigmoid(x, this.inplace); }
}
export class Sigmoid extends Module {
  constructor(...args: unknown[]) { super(); parseArgs('Sigmoid', args, [], {}); }
  override forward(x: Tensor): Tensor { return F.sigmoid(x); } }
export class Tanh extends Module {
  constructor(...args: unknown[]) { super(); parseArgs('Tanh', args, [], {}); }
  override forward(x: Tensor): Tensor { return F.tanh(x); }
}

export class LeakyReLU extends Module {
  negative_slope: number;
  inplace: boolean;
  constructor(...args: unknown[]) {
    super();
    const { negative_slope, inplace } = parseArgs<{ negative_slope: number; inplace: boolean }>('LeakyReLU', args, ['negative_slope', 'inplace'], { negative_slope: 0.01, inplace: false });
    this.negative_slope = negative_slope; this.inplace = inplace;
  }
  override forward(x: Tensor): Tensor { return F.leaky_relu(x, this.negative_slope, this.inplace); }
  override extra_repr(): string { return `negative_slope=${pyFloat(this.negative_slope)}${this.inplace ? ', inplace=True' : ''}`; }
}
export class ELU extends Module {
  alpha: number;
  inplace: boolean;
  constructor(...args: unknown[]) {
    super();
    const { alpha, inplace } = parseArgs<{ alpha: number; inplace: boolean }>('ELU', args, ['alpha', 'inplace'], { alpha: 1, inplace: false });
    this.alpha = alpha; this.inplace = inplace;
  }
  override forward(x: Tensor): Tensor { return F.elu(x, this.alpha, this.inplace); }
  override extra_repr(): string { return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`; }
}
export class GELU extends Module {
  approximate: 'none' | 'tanh';
  constructor(...args: unknown[]) {
    super();
    this.approximate = parseArgs<{ approximate: 'none' | 'tanh' }>('GELU', args, ['approximate'], { approximate: 'none' }).approximate;
  }
  override forward(x: Tensor): Tensor { return F.gelu(x, this.approximate); }
  override extra_repr(): string { return `approximate='${this.approximate}'`; }
}
export class Softplus extends Module {
  beta: number;
  threshold: number;
  constructor(...args: unknown[]) {
    super();
    const { beta, threshold } = parseArgs<{ beta: number; threshold: number }>('Softplus', args, ['beta', 'threshold'], { beta: 1, threshold: 20 });
    this.beta = beta; this.threshold = threshold;
  }
  override forward(x: Tensor): Tensor { return F.softplus(x, this.beta, this.threshold); }
  override extra_repr(): string { return `beta=${this.beta}, threshold=${this.threshold}`; }
}
export class Hardtanh extends Module {
  min_val: number;
  max_val: number;
  inplace: boolean;
  constructor(...args: unknown[]) {
    super();
    const { min_val, max_val, inplace } = parseArgs<{ min_val: number; max_val: number; inplace: boolean }>('Hardtanh', args, ['min_val', 'max_val', 'inplace'], { min_val: -1, max_val: 1, inplace: false });
    if (max_val <= min_val) throw new RangeError('Hardtanh: max_val must be larger than min_val');
    this.min_val = min_val; this.max_val = max_val; this.inplace = inplace;
  }
  override forward(x: Tensor): Tensor { return F.hardtanh(x, this.min_val, this.max_val, this.inplace); }
  override extra_repr(): string { return `min_val=${pyFloat(this.min_val)}, max_val=${pyFloat(this.max_val)}${this.inplace ? ', inplace=True' : ''}`; }
}
export class ReLU6 extends Hardtanh {
  constructor(...args: unknown[]) { const inplace = inplaceArg('ReLU6', args); super(0, 6, inplace); }
  override extra_repr(): string { return inplaceStr(this.inplace); }
}
export class Softmax extends Module {
  dim: number | null;
  constructor(...args: unknown[]) { super(); this.dim = parseArgs<{ dim: number | null }>('Softmax', args, ['dim'], { dim: null }).dim; }
  override forward(x: Tensor): Tensor { return F.softmax(x, this.dim ?? undefined); }
  override extra_repr(): string { return `dim=${this.dim === null ? 'None' : this.dim}`; }
}
export class LogSoftmax extends Module {
  dim: number | null;
  constructor(...args: unknown[]) { super(); this.dim = parseArgs<{ dim: number | null }>('LogSoftmax', args, ['dim'], { dim: null }).dim; }
  override forward(x: Tensor): Tensor { return F.log_softmax(x, this.dim ?? undefined); }
  override extra_repr(): string { return `dim=${this.dim === null ? 'None' : this.dim}`; }
}
