// Conv1d, Conv2d, ConvTranspose2d (padding_mode 'zeros'; other modes pad with F.pad first).
import { Tensor } from '../../tensor.js';
import { empty } from '../../creation.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import * as init from '../init.js';
import * as F from '../functional/index.js';
import { ntuple, parseArgs, required } from '../functional/args.js';
import { pyTuple } from '../repr.js';
import { dtypeOf, type FactoryOpts } from './linear.js';

type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
export interface ConvOpts extends FactoryOpts {
  stride?: number | number[]; padding?: number | number[] | 'same' | 'valid'; dilation?: number | number[];
  groups?: number; bias?: boolean; padding_mode?: PaddingMode; output_padding?: number | number[];
}

abstract class ConvNd extends Module {
  declare weight: Parameter;
  declare bias: Parameter | null;
  in_channels: number;
  out_channels: number;
  kernel_size: number[];
  stride: number[];
  padding: number[] | 'same' | 'valid';
  dilation: number[];
  transposed: boolean;
  output_padding: number[];
  groups: number;
  padding_mode: PaddingMode;

  constructor(name: string, nd: number, transposed: boolean, args: unknown[]) {
    super();
    // PyTorch's positional order: (in, out, kernel_size, stride, padding, dilation, groups, bias, padding_mode, device, dtype),
    // transposed: (in, out, kernel_size, stride, padding, output_padding, groups, bias, dilation, padding_mode, device, dtype)
    const tail = transposed ? ['output_padding', 'groups', 'bias', 'dilation'] : ['dilation', 'groups', 'bias'];
    const names = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', ...tail, 'padding_mode', 'device', 'dtype'];
    const o = parseArgs<ConvOpts & { in_channels: number; out_channels: number; kernel_size: number | number[] }>(name, args, names as never[], {});
    required(name, o, ['in_channels', 'out_channels', 'kernel_size']);
    const { in_channels, out_channels, kernel_size } = o;
    const groups = o.groups ?? 1;
    if (groups <= 0) throw new RangeError('groups must be a positive integer');
    if (in_channels % groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    if (out_channels % groups !== 0) throw new RangeError('out_channels must be divisible by groups');
    const pm = o.padding_mode ?? 'zeros';
    if (!['zeros', 'reflect', 'replicate', 'circular'].includes(pm)) throw new RangeError(`padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='${pm}'`);
    this.in_channels = in_channels; this.out_channels = out_channels;
    this.kernel_size = ntuple(kernel_size, nd, name, 'kernel_size');
    this.stride = ntuple(o.stride ?? 1, nd, name, 'stride');
    const p = o.padding ?? 0;
    if (typeof p === 'string') {
      if (p !== 'same' && p !== 'valid') throw new RangeError(`Invalid padding string '${p}', should be one of ['valid', 'same']`);
      if (p === 'same' && this.stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
      this.padding = p;
    } else this.padding = ntuple(p, nd, name, 'padding');
    this.dilation = ntuple(o.dilation ?? 1, nd, name, 'dilation');
    this.transposed = transposed;
    this.output_padding = ntuple(o.output_padding ?? 0, nd, name, 'output_padding');
    this.groups = groups;
    this.padding_mode = pm;
    const wshape = transposed ? [in_channels, out_channels / groups, ...this.kernel_size] : [out_channels, in_channels / groups, ...this.kernel_size];
    this.weight = new Parameter(empty(wshape, { dtype: dtypeOf(o) }));
    if (o.bias ?? true) this.bias = new Parameter(empty([out_channels], { dtype: dtypeOf(o) }));
    else this.register_parameter('bias', null);
    this.reset_parameters();
  }
  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight);
      if (fanIn !== 0) { const bound = 1 / Math.sqrt(fanIn); init.uniform_(this.bias, -bound, bound); }
    }
  }
  /** explicit padding for non-'zeros' padding modes: F.pad amounts, last dim first */
  protected padAmounts(): number[] {
    const p = this.padding as number[];
    const out: number[] = [];
    for (let i = p.length - 1; i >= 0; i--) out.push(p[i], p[i]);
    return out;
  }
  override extra_repr(): string {
    const nd = this.kernel_size.length;
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=${pyTuple(this.kernel_size)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((v) => v !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((v) => v !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.output_padding.some((v) => v !== 0)) s += `, output_padding=${pyTuple(this.output_padding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.padding_mode !== 'zeros') s += `, padding_mode=${this.padding_mode}`;
    void nd;
    return s;
  }
}

/** nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=true, padding_mode='zeros') */
export class Conv2d extends ConvNd {
  constructor(...args: unknown[]) {
    super('Conv2d', 2, false, args);
  }
  override forward(x: Tensor): Tensor {
    if (this.padding_mode !== 'zeros') {
      return F.conv2d(F.pad(x, this.padAmounts(), { mode: this.padding_mode }), this.weight, this.bias, this.stride, 0, this.dilation, this.groups);
    }
    return F.conv2d(x, this.weight, this.bias, this.stride, this.padding, this.dilation, this.groups);
  }
}

/** nn.Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=true, padding_mode='zeros') */
export class Conv1d extends ConvNd {
  constructor(...args: unknown[]) {
    super('Conv1d', 1, false, args);
  }
  override forward(x: Tensor): Tensor {
    if (this.padding_mode !== 'zeros') {
      return F.conv1d(F.pad(x, this.padAmounts(), { mode: this.padding_mode }), this.weight, this.bias, this.stride, 0, this.dilation, this.groups);
    }
    return F.conv1d(x, this.weight, this.bias, this.stride, this.padding, this.dilation, this.groups);
  }
}

/** nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=true, dilation=1) */
export class ConvTranspose2d extends ConvNd {
  constructor(...args: unknown[]) {
    super('ConvTranspose2d', 2, true, args);
    if (typeof this.padding === 'string') throw new RangeError('ConvTranspose2d: string padding is not supported');
    if (this.padding_mode !== 'zeros') throw new RangeError('Only "zeros" padding mode is supported for ConvTranspose2d');
  }
  override forward(x: Tensor, output_size?: number[]): Tensor {
    let op = this.output_padding;
    if (output_size) {
      // PyTorch's _output_padding: choose output_padding to reach output_size
      const sp = output_size.slice(-2);
      const pad = this.padding as number[];
      op = sp.map((s, i) => {
        const min = (x.shape[x.ndim - 2 + i] - 1) * this.stride[i] - 2 * pad[i] + this.dilation[i] * (this.kernel_size[i] - 1) + 1;
        const extra = s - min;
        if (extra < 0 || extra >= Math.max(this.stride[i], this.dilation[i])) throw new RangeError(`requested an output size of ${sp.join('x')}, but valid sizes are not reachable`);
        return extra;
      });
    }
    return F.conv_transpose2d(x, this.weight, this.bias, this.stride, this.padding as number[], op, this.groups, this.dilation);
  }
}
