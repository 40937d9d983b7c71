// Dropout layers and activations as modules.
import { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import * as F from '../functional/index.js';
import { pyBool, pyFloat } from '../repr.js';

const inplaceStr = (b: boolean) => (b ? 'inplace=True' : '');

abstract class DropoutNd extends Module {
  p: number;
  inplace: boolean;
  constructor(p: number | { p?: number; inplace?: boolean } = 0.5, inplace = false) {
    super();
    if (typeof p === 'object') { inplace = p.inplace ?? false; p = p.p ?? 0.5; }
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

const inplaceArg = (v: boolean | { inplace?: boolean }) => (typeof v === 'object' ? !!v.inplace : v);

export class ReLU extends Module {
  inplace: boolean;
  constructor(inplace: boolean | { inplace?: boolean } = false) { super(); this.inplace = inplaceArg(inplace); }
  override forward(x: Tensor): Tensor { return F.relu(x, this.inplace); }
  override extra_repr(): string { return inplaceStr(this.inplace); }
}
export class SiLU extends Module {
  inplace: boolean;
  constructor(inplace: boolean | { inplace?: boolean } = false) { super(); this.inplace = inplaceArg(inplace); }
  override forward(x: Tensor): Tensor { return F.silu(x, this.inplace); }
  override extra_repr(): string { return inplaceStr(this.inplace); }
}
/** nn.Hardswish(inplace=false) */
export class Hardswish extends Module {
  inplace: boolean;
  constructor(inplace: boolean | { inplace?: boolean } = false) { super(); this.inplace = inplaceArg(inplace); }
  override forward(x: Tensor): Tensor { return F.hardswish(x, this.inplace); }
}
/** nn.Hardsigmoid(inplace=false) */
export class Hardsigmoid extends Module {
  inplace: boolean;
  constructor(inplace: boolean | { inplace?: boolean } = false) { super(); this.inplace = inplaceArg(inplace); }
  override forward(x: Tensor): Tensor { return F.hardsigmoid(x, this.inplace); }
}
export class Sigmoid extends Module { override forward(x: Tensor): Tensor { return F.sigmoid(x); } }
export class Tanh extends Module { override forward(x: Tensor): Tensor { return F.tanh(x); } }

export class LeakyReLU extends Module {
  negative_slope: number;
  inplace: boolean;
  constructor(negative_slope: number | { negative_slope?: number; inplace?: boolean } = 0.01, inplace = false) {
    super();
    if (typeof negative_slope === 'object') { inplace = negative_slope.inplace ?? false; negative_slope = negative_slope.negative_slope ?? 0.01; }
    this.negative_slope = negative_slope; this.inplace = inplace;
  }
  override forward(x: Tensor): Tensor { return F.leaky_relu(x, this.negative_slope, this.inplace); }
  override extra_repr(): string { return `negative_slope=${pyFloat(this.negative_slope)}${this.inplace ? ', inplace=True' : ''}`; }
}
export class ELU extends Module {
  alpha: number;
  inplace: boolean;
  constructor(alpha: number | { alpha?: number; inplace?: boolean } = 1, inplace = false) {
    super();
    if (typeof alpha === 'object') { inplace = alpha.inplace ?? false; alpha = alpha.alpha ?? 1; }
    this.alpha = alpha; this.inplace = inplace;
  }
  override forward(x: Tensor): Tensor { return F.elu(x, this.alpha, this.inplace); }
  override extra_repr(): string { return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`; }
}
export class GELU extends Module {
  approximate: 'none' | 'tanh';
  constructor(approximate: 'none' | 'tanh' | { approximate?: 'none' | 'tanh' } = 'none') {
    super();
    this.approximate = typeof approximate === 'object' ? approximate.approximate ?? 'none' : approximate;
  }
  override forward(x: Tensor): Tensor { return F.gelu(x, this.approximate); }
  override extra_repr(): string { return `approximate='${this.approximate}'`; }
}
export class Softplus extends Module {
  beta: number;
  threshold: number;
  constructor(beta: number | { beta?: number; threshold?: number } = 1, threshold = 20) {
    super();
    if (typeof beta === 'object') { threshold = beta.threshold ?? 20; beta = beta.beta ?? 1; }
    this.beta = beta; this.threshold = threshold;
  }
  override forward(x: Tensor): Tensor { return F.softplus(x, this.beta, this.threshold); }
  override extra_repr(): string { return `beta=${this.beta}, threshold=${this.threshold}`; }
}
export class Hardtanh extends Module {
  min_val: number;
  max_val: number;
  inplace: boolean;
  constructor(min_val: number | { min_val?: number; max_val?: number; inplace?: boolean } = -1, max_val = 1, inplace = false) {
    super();
    if (typeof min_val === 'object') { max_val = min_val.max_val ?? 1; inplace = min_val.inplace ?? false; min_val = min_val.min_val ?? -1; }
    if (max_val <= min_val) throw new RangeError('Hardtanh: max_val must be larger than min_val');
    this.min_val = min_val; this.max_val = max_val; this.inplace = inplace;
  }
  override forward(x: Tensor): Tensor { return F.hardtanh(x, this.min_val, this.max_val, this.inplace); }
  override extra_repr(): string { return `min_val=${pyFloat(this.min_val)}, max_val=${pyFloat(this.max_val)}${this.inplace ? ', inplace=True' : ''}`; }
}
export class ReLU6 extends Hardtanh {
  constructor(inplace: boolean | { inplace?: boolean } = false) { super(0, 6, inplaceArg(inplace)); }
  override extra_repr(): string { return inplaceStr(this.inplace); }
}
export class Softmax extends Module {
  dim: number | null;
  constructor(dim: number | null | { dim?: number | null } = null) { super(); this.dim = dim !== null && typeof dim === 'object' ? dim.dim ?? null : dim; }
  override forward(x: Tensor): Tensor { return F.softmax(x, this.dim ?? undefined); }
  override extra_repr(): string { return `dim=${this.dim === null ? 'None' : this.dim}`; }
}
export class LogSoftmax extends Module {
  dim: number | null;
  constructor(dim: number | null | { dim?: number | null } = null) { super(); this.dim = dim !== null && typeof dim === 'object' ? dim.dim ?? null : dim; }
  override forward(x: Tensor): Tensor { return F.log_softmax(x, this.dim ?? undefined); }
  override extra_repr(): string { return `dim=${this.dim === null ? 'None' : this.dim}`; }
}
