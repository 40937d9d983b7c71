// Identity, Linear, Bilinear, Flatten, Unflatten.
import { Tensor } from '../../tensor.js';
import { empty } from '../../creation.js';
import type { DTypeLike } from '../../dtype.js';
import { get_default_dtype, toDType } from '../../dtype.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import * as init from '../init.js';
import * as F from '../functional/index.js';
import { pyBool, pyTuple } from '../repr.js';
import { parseArgs, required } from '../functional/args.js';

export interface FactoryOpts { device?: string; dtype?: DTypeLike }
export const dtypeOf = (o: FactoryOpts): ReturnType<typeof toDType> => (o.dtype ? toDType(o.dtype, 'nn') : get_default_dtype());

export class Identity extends Module {
  constructor(..._args: unknown[]) { super(); }
  override forward(x: Tensor): Tensor { return x; }
}

type LinearOpts = { bias?: boolean } & FactoryOpts;
/** PyTorch's constructor arguments `names` (then bias, device, dtype), positionally or by name. */
function linearArgs<T extends object>(op: string, args: unknown[], names: string[]): T & LinearOpts {
  const o = parseArgs<T & LinearOpts>(op, args, [...names, 'bias', 'device', 'dtype'] as never[], {});
  required(op, o, names);
  return o;
}

/** nn.Linear(in_features, out_features, { bias = true, dtype }) */
export class Linear extends Module {
  declare weight: Parameter;
  declare bias: Parameter | null;
  in_features: number;
  out_features: number;
  constructor(...args: unknown[]) {
    super();
    const opts = linearArgs<{ in_features: number; out_features: number }>('Linear', args, ['in_features', 'out_features']);
    const { in_features, out_features } = opts;
    this.in_features = in_features;
    this.out_features = out_features;
    this.weight = new Parameter(empty([out_features, in_features], { dtype: dtypeOf(opts) }));
    if (opts.bias ?? true) this.bias = new Parameter(empty([out_features], { dtype: dtypeOf(opts) }));
    else this.register_parameter('bias', null);
    this.reset_parameters();
  }
  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }
  override forward(x: Tensor): Tensor { return F.linear(x, this.weight, this.bias); }
  override extra_repr(): string { return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${pyBool(this.bias !== null)}`; }
}

/** nn.Bilinear(in1_features, in2_features, out_features, { bias = true }) */
export class Bilinear extends Module {
  declare weight: Parameter;
  declare bias: Parameter | null;
  in1_features: number;
  in2_features: number;
  out_features: number;
  constructor(...args: unknown[]) {
    super();
    const opts = linearArgs<{ in1_features: number; in2_features: number; out_features: number }>('Bilinear', args, ['in1_features', 'in2_features', 'out_features']);
    const { in1_features, in2_features, out_features } = opts;
    this.in1_features = in1_features; this.in2_features = in2_features; this.out_features = out_features;
    this.weight = new Parameter(empty([out_features, in1_features, in2_features], { dtype: dtypeOf(opts) }));
    if (opts.bias ?? true) this.bias = new Parameter(empty([out_features], { dtype: dtypeOf(opts) }));
    else this.register_parameter('bias', null);
    this.reset_parameters();
  }
  reset_parameters(): void {
    const bound = 1 / Math.sqrt(this.weight.shape[1]);
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }
  override forward(x1: Tensor, x2: Tensor): Tensor { return F.bilinear(x1, x2, this.weight, this.bias); }
  override extra_repr(): string {
    return `in1_features=${this.in1_features}, in2_features=${this.in2_features}, out_features=${this.out_features}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** nn.Flatten(start_dim=1, end_dim=-1) */
export class Flatten extends Module {
  start_dim: number;
  end_dim: number;
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ start_dim: number; end_dim: number }>('Flatten', args, ['start_dim', 'end_dim'], { start_dim: 1, end_dim: -1 });
    this.start_dim = o.start_dim; this.end_dim = o.end_dim;
  }
  override forward(x: Tensor): Tensor { return x.flatten(this.start_dim, this.end_dim); }
  override extra_repr(): string { return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`; }
}

/** nn.Unflatten(dim, unflattened_size) */
export class Unflatten extends Module {
  dim: number;
  unflattened_size: number[];
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ dim: number; unflattened_size: number[] }>('Unflatten', args, ['dim', 'unflattened_size'], {});
    required('Unflatten', o, ['dim', 'unflattened_size']);
    this.dim = o.dim; this.unflattened_size = [...o.unflattened_size];
  }
  override forward(x: Tensor): Tensor { return x.unflatten(this.dim, this.unflattened_size); }
  override extra_repr(): string { return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattened_size)}`; }
}
