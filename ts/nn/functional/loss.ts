// Loss functions, composed from differentiable tensor ops (so they differentiate twice).
// Class-index targets are int32 (PyTorch's int64).
import { Tensor } from '../../tensor.js';
import { isFloating } from '../../dtype.js';
import { parseArgs, leading, sizeStr } from './args.js';
import { log_softmax } from './activation.js';
import { backendFor } from '../../backend/dispatch.js';
import type { LossReduction } from '../../backend/kernels/loss.js';
import { applyFunction } from '../../autograd/function.js';
import { is_grad_enabled, no_grad } from '../../autograd/grad_mode.js';
import { ones_like } from '../../creation.js';
import { named } from '../../shape.js';

export type Reduction = 'none' | 'mean' | 'sum';

/** Legacy size_average/reduce to reduction, as torch.nn._reduction.legacy_get_string. */
export function reductionOf(op: string, o: { size_average?: boolean | null; reduce?: boolean | null; reduction?: string }): string {
  let r = o.reduction ?? 'mean';
  if ((o.size_average !== undefined && o.size_average !== null) || (o.reduce !== undefined && o.reduce !== null)) {
    const sa = o.size_average ?? true, rd = o.reduce ?? true;
    r = !rd ? 'none' : sa ? 'mean' : 'sum';
  }
  if (!['none', 'mean', 'sum', 'batchmean'].includes(r) || (r === 'batchmean' && op !== 'kl_div')) throw new RangeError(`${r} is not a valid value for reduction`);
  return r;
}

export function reduce(loss: Tensor, r: string): Tensor {
  return r === 'none' ? loss : r === 'sum' ? loss.sum() : loss.mean();
}

function checkFloatInput(op: string, x: Tensor): void {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}(): argument 'input' must be Tensor, not ${typeof x}`);
  if (!isFloating(x.dtype)) throw new TypeError(`${op}: expected a floating point input, got ${x.dtype}`);
}

function checkClassTarget(op: string, input: Tensor, target: Tensor): void {
  if (!(target instanceof Tensor)) throw new TypeError(`${op}(): argument 'target' must be Tensor, not ${typeof target}`);
  if (target.dtype !== 'int32') {
    throw new TypeError(`${op}: expected target of dtype int32 (PyTorch's Long) holding class indices, but found ${target.dtype}` +
      (isFloating(target.dtype) ? ` (class probabilities need a target of the same shape as the input ${sizeStr(input.shape)})` : ''));
  }
  const batched = input.ndim >= 2;
  const expected = batched ? [input.shape[0], ...input.shape.slice(2)] : [];
  if (input.ndim < 1) throw new RangeError(`${op}: input tensor should be 1D or more, got ${input.ndim}D`);
  if (batched && target.ndim >= 1 && target.shape[0] !== input.shape[0]) {
    throw new RangeError(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
  }
  if (target.ndim !== expected.length || target.shape.some((s, i) => s !== expected[i])) {
    throw new RangeError(`${op}: expected target of size ${sizeStr(expected)} for input of size ${sizeStr(input.shape)}, got ${sizeStr(target.shape)}`);
  }
}

interface NLLArgs { weight: Tensor | null; size_average: boolean | null; ignore_index: number; reduce: boolean | null; reduction: Reduction; label_smoothing: number }
const NLL_NAMES: (keyof NLLArgs)[] = ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'];

/** F.nll_loss(input, target, weight=null, size_average, ignore_index=-100, reduce, reduction='mean') */
export function nll_loss(input: Tensor, ...args: unknown[]): Tensor {
  const [[target], rest] = leading('nll_loss', args, ['target']) as [[Tensor], unknown[]];
  const a = parseArgs<NLLArgs>('nll_loss', rest, NLL_NAMES, { weight: null, ignore_index: -100, reduction: 'mean' });
  checkFloatInput('nll_loss', input);
  checkClassTarget('nll_loss', input, target);
  const r = reductionOf('nll_loss', a);
  return nllCore(input, target, a.weight, a.ignore_index, r);
}

const REDUCTION: Record<string, LossReduction> = { none: 0, mean: 1, sum: 2 };

/**
 * nll_loss of log-probabilities at class-index targets: one fused kernel forward and backward
 * (LossKernels.nllLoss). The backward is linear in the incoming gradient: under create_graph it is
 * that gradient times the (constant) kernel gradient of ones, so it differentiates again.
 */
function nllCore(input: Tensor, target: Tensor, weight: Tensor | null, ignore_index: number, r: string): Tensor {
  const C = input.ndim >= 2 ? input.shape[1] : input.shape[0];
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== C)) {
    throw new RangeError(`nll_loss: weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${sizeStr(weight.shape)}`);
  }
  const be = backendFor('nll_loss', weight ? [input, target, weight] : [input, target]);
  const w = weight ? weight.detach().to(input.dtype) : null;
  const red = REDUCTION[r];
  const shape = input.shape;
  let total: Tensor;
  return applyFunction('NllLossBackward0', (_ctx, a: Tensor) => {
    // an out-of-range target throws (where reads are synchronous) inside the kernel: nll_loss: Target v is out of bounds.
    const [l, tw] = be.nllLoss(a, target, w, ignore_index, red);
    total = new Tensor(tw, []);
    return new Tensor(l, red === 0 ? target.shape : []);
  }, (_ctx, g) => {
    if (!is_grad_enabled()) return [new Tensor(be.nllLossBackward(g, shape, target, w, total, ignore_index, red), shape)];
    const mask = no_grad(() => new Tensor(be.nllLossBackward(ones_like(g), shape, target, w, total, ignore_index, red), shape));
    return [mask.mul(red === 0 && shape.length >= 2 ? g.unsqueeze(1) : g)];
  }, [input]);
}

/** F.cross_entropy(input, target, weight=null, size_average, ignore_index=-100, reduce, reduction='mean', label_smoothing=0) */
export function cross_entropy(input: Tensor, ...args: unknown[]): Tensor {
  const [[target], rest] = leading('cross_entropy', args, ['target']) as [[Tensor], unknown[]];
  const a = parseArgs<NLLArgs>('cross_entropy', rest, [...NLL_NAMES, 'label_smoothing'], { weight: null, ignore_index: -100, reduction: 'mean', label_smoothing: 0 });
  checkFloatInput('cross_entropy', input);
  const r = reductionOf('cross_entropy', a);
  const ls = a.label_smoothing;
  if (ls < 0 || ls > 1) throw new RangeError(`label_smoothing must be between 0.0 and 1.0. Got: ${ls}`);
  const cdim = input.ndim >= 2 ? 1 : 0;
  const C = input.shape[cdim];
  const logp = log_softmax(input, cdim);
  const wshape = input.shape.map((s, i) => (i === cdim ? s : 1));
  if (target instanceof Tensor && isFloating(target.dtype)) {
    // class probabilities
    if (target.ndim !== input.ndim || target.shape.some((s, i) => s !== input.shape[i])) {
      throw new RangeError(`cross_entropy: class-probability target must have the same shape as input ${sizeStr(input.shape)}, got ${sizeStr(target.shape)}`);
    }
    let t = target;
    if (ls > 0) t = t.mul(1 - ls).add(ls / C);
    let prod = logp.mul(t);
    if (a.weight) prod = prod.mul(a.weight.view(wshape));
    const loss = prod.sum(cdim).neg();
    if (r === 'none') return loss;
    if (r === 'sum') return loss.sum();
    return loss.sum().div(input.numel() / C);
  }
  checkClassTarget('cross_entropy', input, target);
  const nll = nllCore(logp, target, a.weight, a.ignore_index, r);
  if (ls === 0) return nll;
  const valid = target.ne(a.ignore_index);
  let smooth = (a.weight ? logp.mul(a.weight.view(wshape)) : logp).sum(cdim).neg();
  smooth = smooth.mul(valid.to(smooth.dtype));
  let ret: Tensor;
  if (r === 'none') ret = smooth;
  else if (r === 'sum') ret = smooth.sum();
  else if (a.weight) {
    const tsafe = target.masked_fill(valid.logical_not(), 0);
    ret = smooth.sum().div(a.weight.index_select(0, tsafe.reshape([-1])).mul(valid.reshape([-1]).to(a.weight.dtype)).sum());
  } else ret = smooth.sum().div(valid.sum().to(smooth.dtype));
  return nll.mul(1 - ls).add(ret.mul(ls / C));
}

interface PairArgs { size_average: boolean | null; reduce: boolean | null; reduction: Reduction; beta: number; delta: number; weight: Tensor | null; pos_weight: Tensor | null; log_target: boolean }

let warned = false;
/**
 * The regression losses (mse, l1, smooth_l1, huber) promote an integer or bool operand to the
 * other one's floating dtype, as PyTorch does; both integer is an error.
 */
function promotePair(op: string, input: Tensor, target: Tensor): [Tensor, Tensor] {
  if (!(input instanceof Tensor)) throw new TypeError(`${op}(): argument 'input' must be Tensor, not ${typeof input}`);
  if (!(target instanceof Tensor)) throw new TypeError(`${op}(): argument 'target' must be Tensor, not ${typeof target}`);
  // PyTorch's l1_loss subtracts first (no bool operand); huber_loss writes into the input's dtype
  if (op === 'l1_loss' && (input.dtype === 'bool' || target.dtype === 'bool')) throw new TypeError('Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  if (op === 'huber_loss' && !isFloating(input.dtype)) throw new TypeError(`result type Float can't be cast to the desired output type ${input.dtype === 'bool' ? 'Bool' : input.dtype === 'uint8' ? 'Byte' : 'Int'}`);
  if (isFloating(input.dtype) && !isFloating(target.dtype)) return [input, target.to(input.dtype)];
  if (!isFloating(input.dtype) && isFloating(target.dtype)) return [input.to(target.dtype), target];
  return [input, target];
}

function checkPair(op: string, input: Tensor, target: Tensor, strict = false): void {
  checkFloatInput(op, input);
  if (!(target instanceof Tensor)) throw new TypeError(`${op}(): argument 'target' must be Tensor, not ${typeof target}`);
  if (!isFloating(target.dtype)) throw new TypeError(`${op}: expected a floating point target (the same dtype as input, ${input.dtype}), got ${target.dtype}`);
  const same = input.ndim === target.ndim && input.shape.every((s, i) => s === target.shape[i]);
  if (!same) {
    if (strict) throw new RangeError(`Using a target size (${sizeStr(target.shape)}) that is different to the input size (${sizeStr(input.shape)}) is deprecated. Please ensure they have the same size.`);
    if (!warned) {
      warned = true;
      // eslint-disable-next-line no-console
      console.warn(`${op}: Using a target size (${sizeStr(target.shape)}) that is different to the input size (${sizeStr(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`);
    }
  }
}

/** F.mse_loss(input, target, size_average, reduce, reduction='mean') */
export function mse_loss(input: Tensor, ...args: unknown[]): Tensor {
  let [[target], rest] = leading('mse_loss', args, ['target']) as [[Tensor], unknown[]];
  return named('mse_loss', () => {
    [input, target] = promotePair('mse_loss', input, target);
    const a = parseArgs<PairArgs>('mse_loss', rest, ['size_average', 'reduce', 'reduction'], {});
    checkPair('mse_loss', input, target);
    const d = input.sub(target);
    return reduce(d.mul(d), reductionOf('mse_loss', a));
  });
}
/** F.l1_loss(input, target, size_average, reduce, reduction='mean') */
export function l1_loss(input: Tensor, ...args: unknown[]): Tensor {
  let [[target], rest] = leading('l1_loss', args, ['target']) as [[Tensor], unknown[]];
  return named('l1_loss', () => {
    [input, target] = promotePair('l1_loss', input, target);
    const a = parseArgs<PairArgs>('l1_loss', rest, ['size_average', 'reduce', 'reduction'], {});
    checkPair('l1_loss', input, target);
    return reduce(input.sub(target).abs(), reductionOf('l1_loss', a));
  });
}
/** F.smooth_l1_loss(input, target, size_average, reduce, reduction='mean', beta=1.0) */
export function smooth_l1_loss(input: Tensor, ...args: unknown[]): Tensor {
  let [[target], rest] = leading('smooth_l1_loss', args, ['target']) as [[Tensor], unknown[]];
  return named('smooth_l1_loss', () => {
    [input, target] = promotePair('smooth_l1_loss', input, target);
    const a = parseArgs<PairArgs>('smooth_l1_loss', rest, ['size_average', 'reduce', 'reduction', 'beta'], { beta: 1 });
    checkPair('smooth_l1_loss', input, target);
    if (a.beta < 0) throw new RangeError('smooth_l1_loss does not support negative values for beta.');
    const d = input.sub(target), ad = d.abs();
    const loss = a.beta === 0 ? ad : ad.where(ad.ge(a.beta), d.mul(d).mul(0.5 / a.beta)).sub(ad.ge(a.beta).to(d.dtype).mul(0.5 * a.beta));
    return reduce(loss, reductionOf('smooth_l1_loss', a));
  });
}
/** F.huber_loss(input, target, reduction='mean', delta=1.0) */
export function huber_loss(input: Tensor, ...args: unknown[]): Tensor {
  let [[target], rest] = leading('huber_loss', args, ['target']) as [[Tensor], unknown[]];
  return named('huber_loss', () => {
    [input, target] = promotePair('huber_loss', input, target);
    const a = parseArgs<PairArgs>('huber_loss', rest, ['reduction', 'delta'], { delta: 1 });
    checkPair('huber_loss', input, target);
    if (a.delta <= 0) throw new RangeError('huber_loss does not support non-positive values for delta.');
    const d = input.sub(target), ad = d.abs();
    const big = ad.ge(a.delta);
    const loss = d.mul(d).mul(0.5).where(big.logical_not(), ad.sub(0.5 * a.delta).mul(a.delta));
    return reduce(loss, reductionOf('huber_loss', a));
  });
}

/** F.binary_cross_entropy(input, target, weight=null, size_average, reduce, reduction='mean') */
export function binary_cross_entropy(input: Tensor, ...args: unknown[]): Tensor {
  const [[target], rest] = leading('binary_cross_entropy', args, ['target']) as [[Tensor], unknown[]];
  return named('binary_cross_entropy', () => {
    const a = parseArgs<PairArgs>('binary_cross_entropy', rest, ['weight', 'size_average', 'reduce', 'reduction'], { weight: null });
    checkPair('binary_cross_entropy', input, target, true);
    const C: Record<string, string> = { float32: 'Float', float64: 'Double' };
    if (target.dtype !== input.dtype) throw new TypeError(`binary_cross_entropy: Found dtype ${C[target.dtype]} but expected ${C[input.dtype]}`);
    // no synchronous range check where reads are asynchronous (webgpu): values outside [0, 1] give NaN losses, where CUDA asserts
    if (backendFor('binary_cross_entropy', [input, target]).syncReads && input.lt(0).logical_or(input.gt(1)).any().itemSync()) throw new RangeError('all elements of input should be between 0 and 1');
    const logx = input.log().clamp(-100, null), log1mx = input.neg().log1p().clamp(-100, null);
    let loss = target.mul(logx).add(target.neg().add(1).mul(log1mx)).neg();
    if (a.weight) loss = loss.mul(a.weight);
    return reduce(loss, reductionOf('binary_cross_entropy', a));
  });
}

/** F.binary_cross_entropy_with_logits(input, target, weight=null, size_average, reduce, reduction='mean', pos_weight=null) */
export function binary_cross_entropy_with_logits(input: Tensor, ...args: unknown[]): Tensor {
  const [[target], rest] = leading('binary_cross_entropy_with_logits', args, ['target']) as [[Tensor], unknown[]];
  return named('binary_cross_entropy_with_logits', () => {
    const a = parseArgs<PairArgs>('binary_cross_entropy_with_logits', rest, ['weight', 'size_average', 'reduce', 'reduction', 'pos_weight'], { weight: null, pos_weight: null });
    checkFloatInput('binary_cross_entropy_with_logits', input);
    if (!(target instanceof Tensor) || target.ndim !== input.ndim || target.shape.some((s, i) => s !== input.shape[i])) {
      throw new RangeError(`Target size (${sizeStr(target?.shape ?? [])}) must be the same as input size (${sizeStr(input.shape)})`);
    }
    checkPair('binary_cross_entropy_with_logits', input, target, true);
    // log(1 + exp(-|x|)) + max(-x, 0) = -log(sigmoid(x)), computed stably
    const logSigNeg = input.abs().neg().exp().log1p().add(input.neg().clamp(0, null));
    let loss: Tensor;
    if (a.pos_weight) {
      const lw = a.pos_weight.sub(1).mul(target).add(1);
      loss = target.neg().add(1).mul(input).add(lw.mul(logSigNeg));
    } else {
      loss = target.neg().add(1).mul(input).add(logSigNeg);
    }
    if (a.weight) loss = loss.mul(a.weight);
    return reduce(loss, reductionOf('binary_cross_entropy_with_logits', a));
  });
}

/** F.kl_div(input, target, size_average, reduce, reduction='mean', log_target=false); input holds log-probabilities. */
export function kl_div(input: Tensor, ...args: unknown[]): Tensor {
  const [[target], rest] = leading('kl_div', args, ['target']) as [[Tensor], unknown[]];
  return named('kl_div', () => {
    const a = parseArgs<PairArgs>('kl_div', rest, ['size_average', 'reduce', 'reduction', 'log_target'], { log_target: false });
    checkPair('kl_div', input, target);
    const r = reductionOf('kl_div', a);
    let loss: Tensor;
    if (a.log_target) loss = target.exp().mul(target.sub(input));
    else {
      // xlogy(t, t): 0 where t == 0, NaN where t < 0 (as PyTorch)
      const tsafe = target.where(target.ne(0), 1);
      loss = target.mul(tsafe.log()).sub(target.mul(input));
    }
    if (r === 'batchmean') return input.ndim ? loss.sum().div(input.shape[0]) : loss.sum();
    return reduce(loss, r);
  });
}
