// Activation functions (functional forms), built on the core pointwise ops.
import { Tensor } from '../../tensor.js';
import * as P from '../../ops/pointwise.js';
import * as R from '../../ops/reduce.js';
import { kwarg } from '../../shape.js';
import { applyFunction } from '../../autograd/function.js';
import { no_grad } from '../../autograd/grad_mode.js';
import { checkFloatKernel } from '../../dtype.js';
import { checkTensor } from '../../ops/pointwise.js';

/**
 * y = value, dy/dx = slope, both computed from x up front: the backward keeps only `slope` (a new
 * tensor), never x, so the in-place form (x.copy_(y)) leaves a valid graph, as in PyTorch.
 */
export function withLocalGrad(name: string, x: Tensor, value: Tensor, slope: Tensor): Tensor {
  return applyFunction(name, () => value, (_c, g) => [g.mul(slope)], [x]) as Tensor;
}

const inplaceOf = (x: Tensor, y: Tensor, inplace: unknown): Tensor => (kwarg(inplace, 'inplace', false) ? x.copy_(y) : y);

export function relu(x: Tensor, inplace: boolean | { inplace?: boolean } = false): Tensor { return inplaceOf(x, P.relu(x), inplace); }
export function relu6(x: Tensor, inplace: boolean | { inplace?: boolean } = false): Tensor { checkTensor('relu6', x); return hardtanh(x, 0, 6, inplace); }

/** F.hardtanh(input, min_val=-1, max_val=1, inplace=false); the gradient is zero outside (min, max). */
export function hardtanh(x: Tensor, min_val: number | { min_val?: number; max_val?: number; inplace?: boolean } = -1, max_val = 1, inplace: boolean | { inplace?: boolean } = false): Tensor {
  if (typeof min_val === 'object') { max_val = min_val.max_val ?? 1; inplace = min_val.inplace ?? false; min_val = min_val.min_val ?? -1; }
  if (min_val > max_val) throw new RangeError('hardtanh: min_val cannot be greater than max_val');
  checkTensor('hardtanh', x);
  if (x.dtype === 'bool') throw new TypeError('Bool inputs not supported for hardtanh');
  const lo = min_val, hi = max_val;
  const inside = x.gt(lo).logical_and(x.lt(hi));
  // value = clamp, gradient = 1 strictly inside (PyTorch's hardtanh_backward)
  const y = x.where(inside, P.clamp(x.detach(), lo, hi));
  return inplaceOf(x, y, inplace);
}

export function leaky_relu(x: Tensor, negative_slope: number | { negative_slope?: number; inplace?: boolean } = 0.01, inplace: boolean | { inplace?: boolean } = false): Tensor {
  if (typeof negative_slope === 'object') { inplace = negative_slope.inplace ?? false; negative_slope = negative_slope.negative_slope ?? 0.01; }
  const slope = negative_slope;
  checkFloatKernel('leaky_relu', 'leaky_relu_cpu', x.dtype);
  const [value, dydx] = no_grad(() => { const pos = x.gt(0); return [x.where(pos, x.mul(slope)), pos.to(x.dtype).mul(1 - slope).add(slope)] as const; });
  return inplaceOf(x, withLocalGrad('LeakyReluBackward0', x, value, dydx), inplace);
}

export function elu(x: Tensor, alpha: number | { alpha?: number; inplace?: boolean } = 1, inplace: boolean | { inplace?: boolean } = false): Tensor {
  if (typeof alpha === 'object') { inplace = alpha.inplace ?? false; alpha = alpha.alpha ?? 1; }
  const a = alpha;
  checkFloatKernel('elu', 'elu_cpu', x.dtype);
  const [value, dydx] = no_grad(() => {
    const pos = x.gt(0), neg = P.clamp(x, null, 0);
    return [x.where(pos, neg.expm1().mul(a)), pos.to(x.dtype).where(pos, neg.exp().mul(a))] as const;
  });
  return inplaceOf(x, withLocalGrad('EluBackward0', x, value, dydx), inplace);
}

export function gelu(x: Tensor, approximate: 'none' | 'tanh' | { approximate?: 'none' | 'tanh' } = 'none'): Tensor {
  checkFloatKernel('gelu', 'GeluKernelImpl', x.dtype);
  return P.gelu(x, { approximate: typeof approximate === 'object' ? approximate.approximate ?? 'none' : approximate });
}
export function silu(x: Tensor, inplace: boolean | { inplace?: boolean } = false): Tensor { checkFloatKernel('silu', 'silu_cpu', x.dtype); return inplaceOf(x, P.silu(x), inplace); }
/** F.hardswish(input, inplace=false): x * relu6(x + 3) / 6 */
export function hardswish(x: Tensor, inplace: boolean | { inplace?: boolean } = false): Tensor { checkFloatKernel('hardswish', 'hardswish_cpu', x.dtype); return inplaceOf(x, P.ops.hardswish(x), inplace); }
/** F.hardsigmoid(input, inplace=false): relu6(x + 3) / 6 */
export function hardsigmoid(x: Tensor, inplace: boolean | { inplace?: boolean } = false): Tensor { checkFloatKernel('hardsigmoid', 'hardsigmoid_cpu', x.dtype); return inplaceOf(x, P.ops.hardsigmoid(x), inplace); }
export function sigmoid(x: Tensor): Tensor { return P.sigmoid(x); }
export function tanh(x: Tensor): Tensor { return P.tanh(x); }
export function softplus(x: Tensor, beta: number | { beta?: number; threshold?: number } = 1, threshold = 20): Tensor {
  checkFloatKernel('softplus', 'softplus_cpu', x.dtype);
  if (typeof beta === 'object') return P.softplus(x, { beta: beta.beta ?? 1, threshold: beta.threshold ?? 20 });
  return P.softplus(x, { beta, threshold });
}

function softmaxDim(op: string, x: Tensor, dim: unknown): number {
  const d = kwarg<number | null | undefined>(dim, 'dim', undefined);
  if (d === undefined || d === null) {
    // PyTorch's legacy implicit dim choice
    return x.ndim === 0 || x.ndim === 1 || x.ndim === 3 ? 0 : 1;
  }
  void op;
  return d;
}
/** F.softmax(input, dim) (dim may also come as { dim }) */
export function softmax(x: Tensor, dim?: number | { dim?: number; dtype?: string }): Tensor {
  const y = typeof dim === 'object' && dim?.dtype ? x.to(dim.dtype as never) : x;
  return R.softmax(y, softmaxDim('softmax', x, dim));
}
export function log_softmax(x: Tensor, dim?: number | { dim?: number; dtype?: string }): Tensor {
  const y = typeof dim === 'object' && dim?.dtype ? x.to(dim.dtype as never) : x;
  return R.log_softmax(y, softmaxDim('log_softmax', x, dim));
}
export function softmin(x: Tensor, dim?: number | { dim?: number }): Tensor {
  checkFloatKernel('softmin', 'softmax_lastdim_kernel_impl', x.dtype);
  return R.softmax(x.neg(), softmaxDim('softmin', x, dim));
}
