// Normalization: batch_norm (statistics in the backend's batchStats kernel), layer_norm,
// group_norm (composed from tensor ops, so all of them differentiate twice).
import { Tensor } from '../../tensor.js';
import { isFloating } from '../../dtype.js';
import { named, numel } from '../../shape.js';
import { backendFor } from '../../backend/dispatch.js';
import { applyFunction } from '../../autograd/function.js';
import { no_grad } from '../../autograd/grad_mode.js';
import { parseArgs, required, sizeStr } from './args.js';

/** Per-channel [mean, biased var] of x [N, C, ...] (dims 0 and 2..), as a differentiable pair. */
export function batchStats(x: Tensor): [Tensor, Tensor] {
  const N = x.shape[0], C = x.shape[1], S = numel(x.shape.slice(2));
  const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  const bshape = [1, C, ...x.shape.slice(2).map(() => 1)];
  const M = N * S;
  const r = applyFunction('NativeBatchNormStats', (ctx, xx: Tensor) => {
    ctx.save_for_backward(xx);
    const [m, v] = backendFor('batch_norm', [xx]).batchStats(xx);
    return [new Tensor(m, [C]), new Tensor(v, [C])];
  }, (ctx, gm, gv) => {
    const [xx] = ctx.saved_tensors;
    let g: Tensor | null = null;
    if (gm) g = gm.view(bshape).div(M).expand(xx.shape);
    if (gv) {
      const mu = xx.mean(dims, true);
      const t = xx.sub(mu).mul(gv.view(bshape).mul(2 / M));
      g = g ? g.add(t) : t;
    }
    return [g];
  }, [x]) as Tensor[];
  return [r[0], r[1]];
}

interface BNArgs { weight: Tensor | null; bias: Tensor | null; training: boolean; momentum: number | null; eps: number }

/** F.batch_norm(input, running_mean, running_var, weight=null, bias=null, training=false, momentum=0.1, eps=1e-5) */
export function batch_norm(input: Tensor, ...rest: unknown[]): Tensor {
  const a = parseArgs<BNArgs & { running_mean: Tensor | null; running_var: Tensor | null }>('batch_norm', rest,
    ['running_mean', 'running_var', 'weight', 'bias', 'training', 'momentum', 'eps'], { weight: null, bias: null, training: false, momentum: 0.1, eps: 1e-5 });
  required('batch_norm', a, ['running_mean', 'running_var']);
  return batchNormImpl(input, a.running_mean, a.running_var, a.weight, a.bias, a.training, a.momentum, a.eps);
}

/** batch_norm with an optional cumulative-average counter (momentum null: 1 / num_batches_tracked). */
export function batchNormImpl(x: Tensor, rm: Tensor | null, rv: Tensor | null, w: Tensor | null, b: Tensor | null,
  training: boolean, momentum: number | null, eps: number, numBatches?: Tensor | null): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`batch_norm(): argument 'input' must be Tensor`);
  if (x.ndim < 2) throw new RangeError(`batch_norm: expected 2D or higher input (got ${x.ndim}D input)`);
  if (!isFloating(x.dtype)) throw new TypeError(`batch_norm: expected a floating point input, got ${x.dtype}`);
  const C = x.shape[1];
  for (const [n, t] of [['weight', w], ['bias', b], ['running_mean', rm], ['running_var', rv]] as [string, Tensor | null][]) {
    if (t && t.numel() !== C) throw new RangeError(`batch_norm: running_mean should contain ${C} elements not ${t.numel()} (${n} has size ${sizeStr(t.shape)})`);
    // PyTorch's CPU kernel: "mixed dtype (CPU): expect parameter to have scalar type of Float"
    if (t && t.dtype !== x.dtype) throw new TypeError(`batch_norm: mixed dtype (CPU): expected ${n} (${t.dtype}) to have the input's dtype ${x.dtype}`);
  }
  const bshape = [1, C, ...x.shape.slice(2).map(() => 1)];
  let mean: Tensor, vr: Tensor;
  if (training) {
    const M = x.numel() / C;
    if (M === 1) throw new RangeError(`Expected more than 1 value per channel when training, got input size ${sizeStr(x.shape)}`);
    [mean, vr] = batchStats(x);
    // an empty batch counts as a batch but leaves the running statistics as they are (as PyTorch)
    if (M === 0 && numBatches) no_grad(() => numBatches.add_(1));
    if (rm && rv && M > 0) {
      no_grad(() => {
        let m: number | Tensor | null = momentum;
        if (numBatches) {
          numBatches.add_(1);
          // 1 / count: read on the host where the backend reads synchronously (exact, and cheaper than
          // five tiny ops); elsewhere the factor stays a tensor beside the counter
          if (m === null) m = backendFor('batch_norm', [numBatches]).syncReads ? 1 / (numBatches.itemSync() as number) : numBatches.to(rm.dtype).reciprocal();
        }
        m ??= 0.1;
        const keep = typeof m === 'number' ? 1 - m : m.neg().add(1);
        rm.mul_(keep).add_(mean.detach().mul(m));
        rv.mul_(keep).add_(vr.detach().mul(typeof m === 'number' ? m * M / (M - 1) : m.mul(M / (M - 1))));
      });
    }
  } else {
    if (!rm || !rv) throw new Error('batch_norm: running_mean and running_var must be defined in evaluation mode');
    mean = rm; vr = rv;
  }
  const inv = vr.add(eps).rsqrt();
  const scale = w ? inv.mul(w) : inv;
  let y = x.sub(mean.view(bshape)).mul(scale.view(bshape));
  if (b) y = y.add(b.view(bshape));
  return y;
}

interface LNArgs { weight: Tensor | null; bias: Tensor | null; eps: number }

/** F.layer_norm(input, normalized_shape, weight=null, bias=null, eps=1e-5) */
export function layer_norm(x: Tensor, ...rest: unknown[]): Tensor {
  return named('layer_norm', () => {
    const a = parseArgs<LNArgs & { normalized_shape: number | number[] }>('layer_norm', rest, ['normalized_shape', 'weight', 'bias', 'eps'], { weight: null, bias: null, eps: 1e-5 });
    required('layer_norm', a, ['normalized_shape']);
    const normalized_shape = a.normalized_shape;
    const ns = typeof normalized_shape === 'number' ? [normalized_shape] : normalized_shape;
    const k = ns.length;
    if (x.ndim < k || x.shape.slice(x.ndim - k).some((s, i) => s !== ns[i])) {
      throw new RangeError(`Given normalized_shape=${sizeStr(ns)}, expected input with shape [*, ${ns.join(', ')}], but got input of size${sizeStr(x.shape)}`);
    }
    const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
    const mean = x.mean(dims, true);
    const vr = x.var(dims, { unbiased: false, keepdim: true });
    checkAffine(x, a);
    let y = x.sub(mean).mul(vr.add(a.eps).rsqrt());
    if (a.weight) y = y.mul(a.weight);
    if (a.bias) y = y.add(a.bias);
    return y;
  });
}

/** weight and bias have the input's dtype (PyTorch: "expected scalar type Double but found Float"). */
function checkAffine(x: Tensor, a: LNArgs): void {
  const C: Record<string, string> = { float32: 'Float', float64: 'Double', int32: 'Int', uint8: 'Byte', bool: 'Bool' };
  for (const t of [a.weight, a.bias]) if (t && t.dtype !== x.dtype) throw new TypeError(`expected scalar type ${C[x.dtype]} but found ${C[t.dtype]}`);
}

/** F.group_norm(input, num_groups, weight=null, bias=null, eps=1e-5) */
export function group_norm(x: Tensor, ...rest: unknown[]): Tensor {
  return named('group_norm', () => {
    const a = parseArgs<LNArgs & { num_groups: number }>('group_norm', rest, ['num_groups', 'weight', 'bias', 'eps'], { weight: null, bias: null, eps: 1e-5 });
    required('group_norm', a, ['num_groups']);
    const num_groups = a.num_groups;
    if (x.ndim < 2) throw new RangeError(`group_norm: Expected at least 2 dimensions for input tensor but received ${x.ndim}`);
    const [N, C] = x.shape;
    if (C % num_groups !== 0) throw new RangeError(`Expected number of channels in input to be divisible by num_groups, but got input of shape ${sizeStr(x.shape)} and num_groups=${num_groups}`);
    checkAffine(x, a);
    const xg = x.reshape([N, num_groups, N * num_groups ? x.numel() / (N * num_groups) : numel(x.shape.slice(1)) / num_groups]);
    const mean = xg.mean(2, true);
    const vr = xg.var(2, { unbiased: false, keepdim: true });
    let y = xg.sub(mean).mul(vr.add(a.eps).rsqrt()).reshape(x.shape);
    const bshape = [1, C, ...x.shape.slice(2).map(() => 1)];
    if (a.weight) y = y.mul(a.weight.view(bshape));
    if (a.bias) y = y.add(a.bias.view(bshape));
    return y;
  });
}
