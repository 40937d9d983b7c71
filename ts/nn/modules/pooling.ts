// MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d.
import { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import * as F from '../functional/index.js';
import { pyBool, pyVal } from '../repr.js';
import { parseArgs } from '../functional/args.js';

type IntOrTuple = number | number[];
interface MaxPoolOpts { stride?: IntOrTuple | null; padding?: IntOrTuple; dilation?: IntOrTuple; return_indices?: boolean; ceil_mode?: boolean }

/** kernel_size and the rest, positionally or by name (PyTorch's error for a missing kernel_size) */
function bind<T extends { kernel_size: IntOrTuple }>(op: string, args: unknown[], names: (keyof T & string)[]): T {
  const a = parseArgs<T>(op, args, names, {});
  if (a.kernel_size === undefined) throw new TypeError(`${op}.__init__() missing 1 required positional argument: 'kernel_size'`);
  return a;
}

abstract class MaxPoolNd extends Module {
  kernel_size: IntOrTuple;
  stride: IntOrTuple;
  padding: IntOrTuple;
  dilation: IntOrTuple;
  return_indices: boolean;
  ceil_mode: boolean;
  constructor(op: string, args: unknown[]) {
    super();
    const o = bind<MaxPoolOpts & { kernel_size: IntOrTuple }>(op, args, ['kernel_size', 'stride', 'padding', 'dilation', 'return_indices', 'ceil_mode']);
    const kernel_size = o.kernel_size;
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
  constructor(kernel_size: IntOrTuple | (MaxPoolOpts & { kernel_size: IntOrTuple }), ...args: (IntOrTuple | boolean | null | MaxPoolOpts)[]) { super('MaxPool2d', [kernel_size, ...args]); }
  override forward(x: Tensor): any {
    return F.max_pool2d(x, this.kernel_size, this.stride, this.padding, this.dilation, { ceil_mode: this.ceil_mode, return_indices: this.return_indices });
  }
}
/** nn.MaxPool1d(kernel_size, stride=kernel_size, padding=0, dilation=1, return_indices=false, ceil_mode=false) */
export class MaxPool1d extends MaxPoolNd {
  constructor(kernel_size: IntOrTuple | (MaxPoolOpts & { kernel_size: IntOrTuple }), ...args: (IntOrTuple | boolean | null | MaxPoolOpts)[]) { super('MaxPool1d', [kernel_size, ...args]); }
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
  constructor(kernel_size: IntOrTuple | (AvgPoolOpts & { kernel_size: IntOrTuple }), ...args: (IntOrTuple | boolean | null | AvgPoolOpts)[]) {
    super();
    const a = bind<AvgPoolOpts & { kernel_size: IntOrTuple }>('AvgPool2d', [kernel_size, ...args], ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override']);
    kernel_size = a.kernel_size;
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
  constructor(...args: unknown[]) { super(); this.output_size = parseArgs<{ output_size: number | (number | null)[] }>('AdaptiveAvgPool2d', args, ['output_size'], {}).output_size; }
  override forward(x: Tensor): Tensor { return F.adaptive_avg_pool2d(x, this.output_size); }
  override extra_repr(): string { return `output_size=${pyVal(this.output_size)}`; }
}

/** nn.AdaptiveMaxPool2d(output_size, return_indices=false) */
export class AdaptiveMaxPool2d extends Module {
  output_size: number | (number | null)[];
  return_indices: boolean;
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs<{ output_size: number | (number | null)[]; return_indices: boolean }>('AdaptiveMaxPool2d', args, ['output_size', 'return_indices'], { return_indices: false });
    this.output_size = a.output_size;
    this.return_indices = a.return_indices;
  }
  override forward(x: Tensor): any { return F.adaptive_max_pool2d(x, this.output_size, this.return_indices); }
  override extra_repr(): string { return `output_size=${pyVal(this.output_size)}`; }
}
