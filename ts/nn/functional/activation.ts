// Activation functions (functional forms), built on the core pointwise ops.
import { Tensor } from '../../tensor.js';
import * as P from '../../ops/pointwise.js';
import * as R from '../../ops/reduce.js';
import { applyFunction } from '../../autograd/function.js';
import { no_grad } from '../../autograd/grad_mode.js';
import { checkFloatKernel } from '../../dtype.js';
import { checkTensor } from '../../ops/pointwise.js';
import { parseArgs } from './args.js';

/**
 * y = value, dy/dx = slope, both computed from x up front: the backward keeps only `slope` (a new
 * tensor), never x, so the in-place form (x.copy_(y)) leaves a valid graph, as in PyTorch.
 */
export function withLocalGrad(name: string, x: Tensor, value: Tensor, slope: Tensor): Tensor {
  return applyFunction(name, () => value, (_c, g) => [g.mul(slope)], [x]) as Tensor;
}

const inplaceOf = (x: Tensor, y: Tensor, inplace: unknown): Tensor => (inplace ? x.copy_(y) : y);
type Inplace = { inplace: boolean };
/** The (x, inplace=False) signature every in-place-able activation shares. */
const inplaceArg = (op: string, args: unknown[]): boolean => parseArgs<Inplace>(op, args, ['inplace'], { inplace: false }).inplace;

export function relu(x: Tensor, ...args: unknown[]): Tensor { return inplaceOf(x, P.relu(x), inplaceArg('relu', args)); }
export function relu6(x: Tensor, ...args: unknown[]): Tensor { const inplace = inplaceArg('relu6', args); checkTensor('relu6', x); return hardtanh(x, 0, 6, inplace); }

/** F.hardtanh(input, min_val=-1, max_val=1, inplace=false); the gradient is zero outside (min, max). */
export function hardtanh(x: Tensor, ...args: unknown[]): Tensor {
  const { min_val, max_val, inplace } = parseArgs<{ min_val: number; max_val: number } & Inplace>('hardtanh', args, ['min_val', 'max_val', 'inplace'], { min_val: -1, max_val: 1, inplace: false });
  if (min_val > max_val) throw new RangeError('hardtanh: min_val cannot be greater than max_val');
  checkTensor('hardtanh', x);
  if (x.dtype === 'bool') throw new TypeError('Bool inputs not supported for hardtanh');
  const lo = min_val, hi = max_val;
  const inside = x.gt(lo).logical_and(x.lt(hi));
  // value = clamp, gradient = 1 strictly inside (PyTorch's hardtanh_backward)
  const y = x.where(inside, P.clamp(x.detach(), lo, hi));
  return inplaceOf(x, y, inplace);
}

export function leaky_relu(x: Tensor, ...args: unknown[]): Tensor {
  const { negative_slope: slope, inplace } = parseArgs<{ negative_slope: number } & Inplace>('leaky_relu', args, ['negative_slope', 'inplace'], { negative_slope: 0.01, inplace: false });
  checkFloatKernel('leaky_relu', 'leaky_relu_cpu', x.dtype);
  const [value, dydx] = no_grad(() => { const pos = x.gt(0); return [x.where(pos, x.mul(slope)), pos.to(x.dtype).mul(1 - slope).add(slope)] as const; });
  return inplaceOf(x, withLocalGrad('LeakyReluBackward0', x, value, dydx), inplace);
}

export function elu(x: Tensor, ...args: unknown[]): Tensor {
  const { alpha: a, inplace } = parseArgs<{ alpha: number } & Inplace>('elu', args, ['alpha', 'inplace'], { alpha: 1, inplace: false });
  checkFloatKernel('elu', 'elu_cpu', x.dtype);
  const [value, dydx] = no_grad(() => {
    const pos = x.gt(0), neg = P.clamp(x, null, 0);
    return [x.where(pos, neg.expm1().mul(a)), pos.to(x.dtype).where(pos, neg.exp().mul(a))] as const;
  });
  return inplaceOf(x, withLocalGrad('EluBackward0', x, value, dydx), inplace);
}

export function gelu(x: Tensor, ...args: unknown[]): Tensor {
  const { approximate } = parseArgs<{ approximate: 'none' | 'tanh' }>('gelu', args, ['approximate'], { approximate: 'none' });
  checkFloatKernel('gelu', 'GeluKernelImpl', x.dtype);
  return P.gelu(x, { approximate });
}
export function silu(x: Tensor, ...args: unknown[]): Tensor { const inplace = inplaceArg('silu', args); checkFloatKernel('silu', 'silu_cpu', x.dtype); return inplaceOf(x, P.silu(x), inplace); }
/** F.hardswish(input, inplace=false): x * relu6(x + 3) / 6 */
export function hardswish(x: Tensor, ...args: unknown[]): Tensor { const inplace = inplaceArg('hardswish', args); checkFloatKernel('hardswish', 'hardswish_cpu', x.dtype); return inplaceOf(x, P.ops.hardswish(x), inplace); }
/** F.hardsigmoid(input, inplace=false): relu6(x + 3) / 6 */
export function hardsigmoid(x: Tensor, ...args: unknown[]): Tensor { const inplace = inplaceArg('hardsigmoid', args); checkFloatKernel('hardsigmoid', 'hardsigmoid_cpu', x.dtype); return inplaceOf(x, P.ops.hardsigmoid(x), inplace); }
export function sigmoid(x: Tensor, ...args: unknown[]): Tensor { parseArgs('sigmoid', args, [], {}); return P.sigmoid(x); }
export function tanh(x: Tensor, ...args: unknown[]): Tensor { parseArgs('tanh', args, [], {}); return P.tanh(x); }
export function softplus(x: Tensor, ...args: unknown[]): Tensor {
  const o = parseArgs<{ beta: number; threshold: number }>('softplus', args, ['beta', 'threshold'], { beta: 1, threshold: 20 });
  checkFloatKernel('softplus', 'softplus_cpu', x.dtype);
  return P.softplus(x, o);
}

/** (input, dim=None, _stacklevel=3, dtype=None), with PyTorch's legacy implicit dim when dim is None. */
function softmaxArgs(op: string, x: Tensor, args: unknown[]): [Tensor, number] {
  const { dim, dtype } = parseArgs<{ dim: number | null; _stacklevel: number; dtype: string | null }>(op, args, ['dim', '_stacklevel', 'dtype'], { dim: null, _stacklevel: 3, dtype: null });
  const d = dim ?? (x.ndim === 0 || x.ndim === 1 || x.ndim === 3 ? 0 : 1);
  return [dtype ? x.to(dtype as never) : x, d];
}
/** F.softmax(input, dim=None, _stacklevel=3, dtype=None) */
export function softmax(x: Tensor, ...args: unknown[]): Tensor { return R.softmax(...softmaxArgs('softmax', x, args)); }
export function log_softmax(x: Tensor, ...args: unknown[]): Tensor { return R.log_softmax(...softmaxArgs('log_softmax', x, args)); }
export function softmin(x: Tensor, ...args: unknown[]): Tensor {
  const [y, d] = softmaxArgs('softmin', x, args);
  checkFloatKernel('softmin', 'softmax_lastdim_kernel_impl', y.dtype);
  return R.softmax(y.neg(), d);
}
