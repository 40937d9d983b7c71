// MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d.
import { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import * as F from '../functional/index.js';
import { pyBool, pyVal } from '../repr.js';

type IntOrTuple = number | number[];
interface MaxPoolOpts { stride?: IntOrTuple | null; padding?: IntOrTuple; dilation?: IntOrTuple; return_indices?: boolean; ceil_mode?: boolean }

function poolOpts(args: unknown[]): MaxPoolOpts {
  const names = ['stride', 'padding', 'dilation', 'return_indices', 'ceil_mode'];
  const o: Record<string, unknown> = {};
  const last = args[args.length - 1];
  const pos = last && typeof last === 'object' && !Array.isArray(last) ? args.slice(0, -1) : args;
  pos.forEach((v, i) => { o[names[i]] = v; });
  if (pos !== args) Object.assign(o, last);
  return o as MaxPoolOpts;
}

abstract class MaxPoolNd extends Module {
  kernel_size: IntOrTuple;
  stride: IntOrTuple;
  padding: IntOrTuple;
  dilation: IntOrTuple;
  return_indices: boolean;
  ceil_mode: boolean;
  constructor(kernel_size: IntOrTuple, args: unknown[]) {
    super();
    const o = poolOpts(args);
    this.kernel_size = kernel_size;
    this.stride = o.stride ?? kernel_size;
    this.padding = o.padding ?? 0;
    this.dilation = o.dilation ?? 1;
    this.return_indices = o.return_indices ?? false;
    this.ceil_mode = o.ceil_mode ?? false;
  }
  override extra_repr(): string {
    return `kernel_size=${pyVal(this.kernel_size)}, stride=${pyVal(this.stride)}, padding=${pyVal(this.padding)}, dilation=${pyVal(this.dilation)}, ceil_mode=${pyBool(this.ceil_mode)}`;
  }
}

/** nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0, dilation=1, return_indices=false, ceil_mode=false) */
export class MaxPool2d extends MaxPoolNd {
  constructor(kernel_size: IntOrTuple, ...args: (IntOrTuple | boolean | null | MaxPoolOpts)[]) { super(kernel_size, args); }
  override forward(x: Tensor): any {
    return F.max_pool2d(x, this.kernel_size, this.stride, this.padding, this.dilation, { ceil_mode: this.ceil_mode, return_indices: this.return_indices });
  }
}
/** nn.MaxPool1d(kernel_size, stride=kernel_size, padding=0, dilation=1, return_indices=false, ceil_mode=false) */
export class MaxPool1d extends MaxPoolNd {
  constructor(kernel_size: IntOrTuple, ...args: (IntOrTuple | boolean | null | MaxPoolOpts)[]) { super(kernel_size, args); }
  override forward(x: Tensor): any {
    return F.max_pool1d(x, this.kernel_size, this.stride, this.padding, this.dilation, { ceil_mode: this.ceil_mode, return_indices: this.return_indices });
  }
}

interface AvgPoolOpts { stride?: IntOrTuple | null; padding?: IntOrTuple; ceil_mode?: boolean; count_include_pad?: boolean; divisor_override?: number | null }

/** nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0, ceil_mode=false, count_include_pad=true, divisor_override=null) */
export class AvgPool2d extends Module {
  kernel_size: IntOrTuple;
  stride: IntOrTuple;
  padding: IntOrTuple;
  ceil_mode: boolean;
  count_include_pad: boolean;
  divisor_override: number | null;
  constructor(kernel_size: IntOrTuple, ...args: (IntOrTuple | boolean | null | AvgPoolOpts)[]) {
    super();
    const names = ['stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override'];
    const o: Record<string, unknown> = {};
    const last = args[args.length - 1];
    const pos = last && typeof last === 'object' && !Array.isArray(last) ? args.slice(0, -1) : args;
    pos.forEach((v, i) => { o[names[i]] = v; });
    if (pos !== args) Object.assign(o, last);
    const a = o as AvgPoolOpts;
    this.kernel_size = kernel_size;
    this.stride = a.stride ?? kernel_size;
    this.padding = a.padding ?? 0;
    this.ceil_mode = a.ceil_mode ?? false;
    this.count_include_pad = a.count_include_pad ?? true;
    this.divisor_override = a.divisor_override ?? null;
  }
  override forward(x: Tensor): Tensor {
    return F.avg_pool2d(x, this.kernel_size, this.stride, this.padding, this.ceil_mode, this.count_include_pad, this.divisor_override);
  }
  override extra_repr(): string { return `kernel_size=${pyVal(this.kernel_size)}, stride=${pyVal(this.stride)}, padding=${pyVal(this.padding)}`; }
}

/** nn.AdaptiveAvgPool2d(output_size) */
export class AdaptiveAvgPool2d extends Module {
  output_size: number | (number | null)[];
  constructor(output_size: number | (number | null)[]) { super(); this.output_size = output_size; }
  override forward(x: Tensor): Tensor { return F.adaptive_avg_pool2d(x, this.output_size); }
  override extra_repr(): string { return `output_size=${pyVal(this.output_size)}`; }
}

/** nn.AdaptiveMaxPool2d(output_size, return_indices=false) */
export class AdaptiveMaxPool2d extends Module {
  output_size: number | (number | null)[];
  return_indices: boolean;
  constructor(output_size: number | (number | null)[], return_indices: boolean | { return_indices?: boolean } = false) {
    super();
    this.output_size = output_size;
    this.return_indices = typeof return_indices === 'object' ? !!return_indices.return_indices : return_indices;
  }
  override forward(x: Tensor): any { return F.adaptive_max_pool2d(x, this.output_size, this.return_indices); }
  override extra_repr(): string { return `output_size=${pyVal(this.output_size)}`; }
}
