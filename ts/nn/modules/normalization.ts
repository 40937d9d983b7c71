// BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm.
import { Tensor } from '../../tensor.js';
import { zeros, ones, tensor } from '../../creation.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import * as init from '../init.js';
import * as F from '../functional/index.js';
import { batchNormImpl } from '../functional/norm.js';
import { pyBool, pyFloat, pyTuple } from '../repr.js';
import { dtypeOf, type FactoryOpts } from './linear.js';
import { parseArgs, required } from '../functional/args.js';

export interface BatchNormOpts extends FactoryOpts { eps?: number; momentum?: number | null; affine?: boolean; track_running_stats?: boolean }

abstract class BatchNormBase extends Module {
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;
  num_features: number;
  eps: number;
  momentum: number | null;
  affine: boolean;
  track_running_stats: boolean;
  constructor(op: string, args: unknown[]) {
    super();
    const a = parseArgs<BatchNormOpts & { num_features: number }>(op, args, ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats', 'device', 'dtype'], {});
    required(op, a, ['num_features']);
    const { num_features } = a;
    const dtype = dtypeOf(a);
    this.num_features = num_features;
    this.eps = a.eps ?? 1e-5;
    this.momentum = a.momentum === undefined ? 0.1 : a.momentum;
    this.affine = a.affine ?? true;
    this.track_running_stats = a.track_running_stats ?? true;
    if (this.affine) {
      this.weight = new Parameter(ones([num_features], { dtype }));
      this.bias = new Parameter(zeros([num_features], { dtype }));
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
    if (this.track_running_stats) {
      this.register_buffer('running_mean', zeros([num_features], { dtype }));
      this.register_buffer('running_var', ones([num_features], { dtype }));
      this.register_buffer('num_batches_tracked', tensor(0, { dtype: 'int32' }));
    } else {
      this.register_buffer('running_mean', null);
      this.register_buffer('running_var', null);
      this.register_buffer('num_batches_tracked', null);
    }
  }
  reset_running_stats(): void {
    if (!this.track_running_stats) return;
    this.running_mean!.zero_(); this.running_var!.fill_(1); this.num_batches_tracked!.zero_();
  }
  reset_parameters(): void {
    this.reset_running_stats();
    if (this.affine) { init.ones_(this.weight!); init.zeros_(this.bias!); }
  }
  protected abstract checkInput(x: Tensor): void;
  override forward(x: Tensor): Tensor {
    this.checkInput(x);
    const bnTraining = this.training || (this.running_mean === null && this.running_var === null);
    const useStats = !this.training || this.track_running_stats;
    return batchNormImpl(x, useStats ? this.running_mean : null, useStats ? this.running_var : null, this.weight, this.bias,
      bnTraining, this.momentum, this.eps, this.training && this.track_running_stats ? this.num_batches_tracked : null);
  }
  override extra_repr(): string {
    return `${this.num_features}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.track_running_stats)}`;
  }
}

/** nn.BatchNorm1d(num_features, eps=1e-5, momentum=0.1, affine=true, track_running_stats=true): input [N, C] or [N, C, L] */
export class BatchNorm1d extends BatchNormBase {
  constructor(...args: unknown[]) { super('BatchNorm1d', args); }
  protected checkInput(x: Tensor): void {
    if (!(x instanceof Tensor) || (x.ndim !== 2 && x.ndim !== 3)) throw new RangeError(`BatchNorm1d: expected 2D or 3D input (got ${x?.ndim}D input)`);
  }
}
/** nn.BatchNorm2d(num_features, eps=1e-5, momentum=0.1, affine=true, track_running_stats=true): input [N, C, H, W] */
export class BatchNorm2d extends BatchNormBase {
  constructor(...args: unknown[]) { super('BatchNorm2d', args); }
  protected checkInput(x: Tensor): void {
    if (!(x instanceof Tensor) || x.ndim !== 4) throw new RangeError(`BatchNorm2d: expected 4D input (got ${x?.ndim}D input)`);
  }
}

/** nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=true) */
export class LayerNorm extends Module {
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  normalized_shape: number[];
  eps: number;
  elementwise_affine: boolean;
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ normalized_shape: number | number[]; eps: number; elementwise_affine: boolean } & FactoryOpts>('LayerNorm', args,
      ['normalized_shape', 'eps', 'elementwise_affine', 'device', 'dtype'], { eps: 1e-5, elementwise_affine: true });
    required('LayerNorm', o, ['normalized_shape']);
    const { normalized_shape, eps, elementwise_affine } = o;
    this.normalized_shape = typeof normalized_shape === 'number' ? [normalized_shape] : [...normalized_shape];
    this.eps = eps;
    this.elementwise_affine = elementwise_affine;
    if (elementwise_affine) {
      this.weight = new Parameter(ones(this.normalized_shape, { dtype: dtypeOf(o) }));
      this.bias = new Parameter(zeros(this.normalized_shape, { dtype: dtypeOf(o) }));
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
  }
  override forward(x: Tensor): Tensor { return F.layer_norm(x, this.normalized_shape, this.weight, this.bias, this.eps); }
  override extra_repr(): string { return `${pyTuple(this.normalized_shape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwise_affine)}`; }
}

/** nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=true) */
export class GroupNorm extends Module {
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  num_groups: number;
  num_channels: number;
  eps: number;
  affine: boolean;
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ num_groups: number; num_channels: number; eps: number; affine: boolean } & FactoryOpts>('GroupNorm', args,
      ['num_groups', 'num_channels', 'eps', 'affine', 'device', 'dtype'], { eps: 1e-5, affine: true });
    required('GroupNorm', o, ['num_groups', 'num_channels']);
    const { num_groups, num_channels, eps, affine } = o;
    if (num_channels % num_groups !== 0) throw new RangeError(`GroupNorm: num_channels (${num_channels}) must be divisible by num_groups (${num_groups})`);
    this.num_groups = num_groups; this.num_channels = num_channels; this.eps = eps; this.affine = affine;
    if (affine) {
      this.weight = new Parameter(ones([num_channels], { dtype: dtypeOf(o) }));
      this.bias = new Parameter(zeros([num_channels], { dtype: dtypeOf(o) }));
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
  }
  override forward(x: Tensor): Tensor { return F.group_norm(x, this.num_groups, this.weight, this.bias, this.eps); }
  override extra_repr(): string { return `${this.num_groups}, ${this.num_channels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`; }
}
