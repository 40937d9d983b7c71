// Reductions: one raw kernel path over [A, R, B] blocks, then each op's options and gradient.
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import { checkFloatKernel, isFloating, toDType } from '../dtype.js';
import { numel, normalizeDims, wrapDim } from '../shape.js';
import { backendFor } from '../backend/dispatch.js';
import type { ReduceKind } from '../backend/kernels/reduce.js';
import { applyFunction } from '../autograd/function.js';
import { no_grad, is_grad_enabled } from '../autograd/grad_mode.js';
import type { ReduceOpts } from './types.js';
import { checkTensor, kernel } from './pointwise.js';
import { scatter } from './indexing.js';
import { zeros, full, on } from '../creation.js';

type Kind = ReduceKind;

interface Parsed { dims: number[]; all: boolean; keepdim: boolean; dtype?: DType; opts: ReduceOpts }

function parse(x: Tensor, op: string, dim: unknown, keep: unknown): Parsed {
  let opts: ReduceOpts = {};
  if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) { opts = dim as ReduceOpts; dim = opts.dim; keep = opts.keepdim; }
  if (keep !== null && typeof keep === 'object') { opts = { ...opts, ...(keep as ReduceOpts) }; keep = opts.keepdim; }
  const all = dim === undefined || dim === null || (Array.isArray(dim) && dim.length === 0);
  // a 0-d tensor reduces over dim 0 / -1 as the identity
  const dims = x.ndim === 0 ? (normalizeDims(all ? null : (dim as number | number[]), 0, op), []) : normalizeDims(all ? null : (dim as number | number[]), x.ndim, op);
  return { dims, all, keepdim: !!keep, dtype: opts.dtype ? toDType(opts.dtype, op) : undefined, opts };
}

const KERNEL_TYPES: Record<Kind, DType[]> = { sum: ['float32', 'float64', 'int32'], sumsq: ['float32', 'float64'], prod: ['float32', 'float64', 'int32'], max: ['float32', 'float64', 'int32', 'uint8'], min: ['float32', 'float64', 'int32', 'uint8'] };

/** Reduces `x` over sorted `dims` with no autograd (the backend's reduce kernel). Indices (int32) only for one dim. */
export function reduceRaw(kind: Kind, x: Tensor, dims: number[], keepdim: boolean, out?: DType, wantIdx = false): { values: Tensor; indices?: Tensor } {
  const outDtype: DType = out ?? (kind === 'sum' || kind === 'prod' ? (isFloating(x.dtype) ? x.dtype : 'int32') : x.dtype);
  const compute: DType = KERNEL_TYPES[kind].includes(outDtype) ? outDtype : (outDtype === 'bool' ? 'uint8' : 'int32');
  const outShape = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const finalShape = keepdim ? outShape : x.shape.filter((_, i) => !dims.includes(i));
  for (const d of dims) {
    if (x.shape[d] === 0 && (kind === 'max' || kind === 'min')) {
      throw new RangeError(`${kind}(): Expected reduction dim ${d} to have non-zero size.`);
    }
  }
  const be = backendFor(kind, [x]);
  const n = numel(outShape);
  if (n === 0 || numel(x.shape) === 0) {
    return { values: new Tensor(be.full(outDtype, n, kind === 'prod' ? 1 : 0), finalShape), indices: wantIdx ? new Tensor(be.full('int32', n, 0), finalShape) : undefined };
  }
  const [values, indices] = be.reduce(kind, x, dims, compute, outDtype, wantIdx);
  return { values: new Tensor(values, finalShape), indices: indices ? new Tensor(indices, finalShape) : undefined };
}

/** g (reduced over dims) broadcast back to the input's shape */
function expandBack(g: Tensor, shape: number[], dims: number[], keepdim: boolean): Tensor {
  let r = g;
  if (!keepdim) for (const d of dims) r = r.unsqueeze(d);
  return r.expand(shape);
}

export function sum(x: Tensor, dim?: unknown, keep?: unknown): Tensor {
  checkTensor('sum', x);
  const p = parse(x, 'sum', dim, keep);
  return applyFunction(p.all ? 'SumBackward0' : 'SumBackward1', (ctx, a: Tensor) => {
    ctx.shape = [...a.shape];
    const src = p.dtype && p.dtype !== a.dtype ? a.to(p.dtype) : a;
    return reduceRaw('sum', src, p.dims, p.keepdim).values;
  }, (ctx, g) => [expandBack(g, ctx.shape as number[], p.dims, p.keepdim)], [x]);
}

export function mean(x: Tensor, dim?: unknown, keep?: unknown): Tensor {
  checkTensor('mean', x);
  const p = parse(x, 'mean', dim, keep);
  const dt = p.dtype ?? x.dtype;
  if (!isFloating(dt)) {
    throw new TypeError(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${({ int32: 'Int', uint8: 'Byte', bool: 'Bool' } as Record<string, string>)[dt]}`);
  }
  const count = numel(p.dims.map((d) => x.shape[d]));
  return applyFunction(p.all ? 'MeanBackward0' : 'MeanBackward1', (ctx, a: Tensor) => {
    ctx.shape = [...a.shape];
    const s = reduceRaw('sum', a.to(dt), p.dims, p.keepdim).values;
    return kernel('div', [s, count], dt, dt);
  }, (ctx, g) => [expandBack(g, ctx.shape as number[], p.dims, p.keepdim).div(count)], [x]);
}

export function prod(x: Tensor, dim?: unknown, keep?: unknown): Tensor {
  checkTensor('prod', x);
  const p = parse(x, 'prod', dim, keep);
  return applyFunction(p.all ? 'ProdBackward0' : 'ProdBackward1', (ctx, a: Tensor) => {
    const src = p.dtype && p.dtype !== a.dtype ? a.to(p.dtype) : a;
    const y = reduceRaw('prod', src, p.dims, p.keepdim).values;
    ctx.save_for_backward(a);
    return y;
  }, (ctx, g) => {
    const [a] = ctx.saved_tensors;
    // safe with zeros: the product of the other elements, from the product of non-zeros
    const isZero = a.eq(0);
    const zerosCount = isZero.to(a.dtype).sum(p.dims, true);
    const prodNZ = a.where(isZero.logical_not(), 1).prod(p.all ? undefined : p.dims[0], true);
    const full = expandBack(g, [...a.shape], p.dims, p.keepdim);
    const others = prodNZ.div(a.where(isZero.logical_not(), 1));
    const gradNZ = others.where(zerosCount.eq(0), 0);
    const gradZ = prodNZ.where(zerosCount.eq(1), 0).expand(a.shape);
    return [full.mul(gradNZ.where(isZero.logical_not(), gradZ))];
  }, [x]);
}

/** max/min: over everything (a 0-d tensor), or along a dim ([values, indices]), or elementwise with a tensor. */
function extreme(kind: 'max' | 'min', x: Tensor, dim?: unknown, keep?: unknown): any {
  checkTensor(kind, x);
  if (dim instanceof Tensor) return kind === 'max' ? x.maximum(dim) : x.minimum(dim);
  const p = parse(x, kind, dim, keep);
  if (p.all) {
    if (x.numel() === 0) throw new RangeError(`${kind}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
    return amaxmin(kind, x, p, kind === 'max' ? 'MaxBackward1' : 'MinBackward1');
  }
  if (x.ndim === 0) {
    const r = [x.clone(), zeros([], { ...on(x), dtype: 'int32' })];
    return Object.assign(r, { values: r[0], indices: r[1] });
  }
  if (p.dims.length !== 1) throw new TypeError(`${kind}(): dim must be a single int`);
  const d = p.dims[0];
  const res = applyFunction(kind === 'max' ? 'MaxBackward0' : 'MinBackward0', (ctx, a: Tensor) => {
    const r = reduceRaw(kind, a, [d], p.keepdim, undefined, true);
    ctx.shape = [...a.shape];
    ctx.save_for_backward(r.indices!);
    ctx.mark_non_differentiable(r.indices!);
    return [r.values, r.indices!];
  }, (ctx, g) => {
    const [idx] = ctx.saved_tensors;
    const shape = ctx.shape as number[];
    const gi = p.keepdim ? g : g.unsqueeze(d);
    const ii = p.keepdim ? idx : idx.unsqueeze(d);
    return [scatter(zeros(shape, on(g)), d, ii, gi)];
  }, [x]);
  return Object.assign(res, { values: res[0], indices: res[1] });
}

function amaxmin(kind: 'max' | 'min', x: Tensor, p: Parsed, name: string): Tensor {
  return applyFunction(name, (ctx, a: Tensor) => {
    const y = reduceRaw(kind, a, p.dims, p.keepdim).values;
    ctx.save_for_backward(a, y);
    return y;
  }, (ctx, g) => {
    const [a, y] = ctx.saved_tensors;
    // ties share the gradient evenly, as in PyTorch
    const mask = a.eq(expandBack(y, [...a.shape], p.dims, p.keepdim)).to(g.dtype);
    const count = mask.sum(p.dims, true);
    return [expandBack(g, [...a.shape], p.dims, p.keepdim).mul(mask).div(count)];
  }, [x]);
}

export const max = (x: Tensor, dim?: unknown, keep?: unknown) => extreme('max', x, dim, keep);
export const min = (x: Tensor, dim?: unknown, keep?: unknown) => extreme('min', x, dim, keep);

export function amax(x: Tensor, dim?: unknown, keep?: unknown): Tensor {
  checkTensor('amax', x);
  const p = parse(x, 'amax', dim, keep);
  return amaxmin('max', x, p, 'AmaxBackward0');
}
export function amin(x: Tensor, dim?: unknown, keep?: unknown): Tensor {
  checkTensor('amin', x);
  const p = parse(x, 'amin', dim, keep);
  return amaxmin('min', x, p, 'AminBackward0');
}

function argExtreme(kind: 'max' | 'min', x: Tensor, dim?: unknown, keep?: unknown): Tensor {
  checkTensor(`arg${kind}`, x);
  if (x.dtype === 'bool') throw new TypeError(`arg${kind}: "arg${kind}_cpu" not implemented for 'Bool'`);
  const p = parse(x, `arg${kind}`, dim, keep);
  if (p.all) {
    if (x.numel() === 0) throw new RangeError(`arg${kind}(): Expected reduction dim to be specified for input.numel() == 0.`);
    const flat = x.reshape([-1]);
    const r = reduceRaw(kind, flat, [0], false, undefined, true).indices!;
    return p.keepdim ? r.reshape(x.shape.map(() => 1)) : r;
  }
  if (p.dims.length !== 1) throw new TypeError(`arg${kind}(): dim must be a single int`);
  if (x.shape[p.dims[0]] === 0) throw new RangeError(`arg${kind}(): Expected reduction dim ${p.dims[0]} to have non-zero size.`);
  return reduceRaw(kind, x, p.dims, p.keepdim, undefined, true).indices!;
}
export const argmax = (x: Tensor, dim?: unknown, keep?: unknown) => argExtreme('max', x, dim, keep);
export const argmin = (x: Tensor, dim?: unknown, keep?: unknown) => argExtreme('min', x, dim, keep);

/** var(dim, {correction | unbiased, keepdim}); also var(dim, unbiased, keepdim) positionally */
export function var_(x: Tensor, dim?: unknown, opts?: unknown, keepdim?: boolean): Tensor {
  checkTensor('var', x);
  let o: ReduceOpts = {};
  if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) { o = dim as ReduceOpts; dim = o.dim; }
  if (typeof dim === 'boolean') { o = { ...o, unbiased: dim }; dim = undefined; }
  if (typeof opts === 'boolean') o = { ...o, unbiased: opts };
  else if (opts && typeof opts === 'object') o = { ...o, ...(opts as ReduceOpts) };
  if (keepdim !== undefined) o.keepdim = keepdim;
  const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
  if (!isFloating(x.dtype)) throw new TypeError(`std and var only support floating point and complex dtypes`);
  const p = parse(x, 'var', dim ?? null, o.keepdim);
  const n = numel(p.dims.map((d) => x.shape[d]));
  const mu = x.mean(p.dims, true);
  const dev = x.sub(mu);
  return dev.mul(dev).sum(p.dims, p.keepdim).div(Math.max(n - correction, 0));
}
export function std(x: Tensor, dim?: unknown, opts?: unknown, keepdim?: boolean): Tensor {
  checkTensor('std', x);
  return var_(x, dim, opts, keepdim).sqrt();
}

export function logsumexp(x: Tensor, dim: unknown, keep?: unknown): Tensor {
  checkTensor('logsumexp', x);
  const p = parse(x, 'logsumexp', dim, keep);
  const src = isFloating(x.dtype) ? x : x.to('float32');
  if (src.numel() === 0) return src.exp().sum(p.dims, p.keepdim).log();
  const m = no_grad(() => {
    const a = src.amax(p.dims, true);
    return a.where(a.abs().ne(Infinity), 0);
  });
  const r = src.sub(m).exp().sum(p.dims, true).log().add(m);
  return p.keepdim ? r : r.squeeze(p.dims);
}

export function norm(x: Tensor, pArg?: unknown, dim?: unknown, keep?: unknown): Tensor {
  checkTensor('norm', x);
  let pv: number | string | null | undefined = pArg as number | string | null | undefined;
  if (pArg !== null && typeof pArg === 'object') { const o = pArg as ReduceOpts; pv = o.p; dim = o.dim; keep = o.keepdim; }
  const p = pv === undefined || pv === null || pv === 'fro' ? 2 : pv === 'inf' ? Infinity : pv === '-inf' ? -Infinity : +pv;
  if (Number.isNaN(p)) throw new Error(`norm: unsupported p ${String(pv)}`);
  const pr = parse(x, 'norm', dim, keep);
  if (!isFloating(x.dtype)) throw new TypeError(`norm(): input dtype should be floating point, but got ${x.dtype}`);
  if (p === 2) {
    return applyFunction('NormBackward1', (ctx, t: Tensor) => {
      const y = reduceRaw('sumsq', t, pr.dims, pr.keepdim).values.sqrt();
      ctx.save_for_backward(t, y);
      return y;
    }, (ctx, g) => {
      const [t, y] = ctx.saved_tensors;
      const ye = expandBack(y, [...t.shape], pr.dims, pr.keepdim);
      const ge = expandBack(g, [...t.shape], pr.dims, pr.keepdim);
      return [ge.mul(t).div(ye).where(ye.ne(0), 0)];
    }, [x]);
  }
  const a = x.abs(); // the 2-norm above squares without it: one pass less over x
  if (p === Infinity) return a.amax(pr.dims, pr.keepdim);
  if (p === -Infinity) return a.amin(pr.dims, pr.keepdim);
  if (p === 0) return a.ne(0).to(x.dtype).sum(pr.dims, pr.keepdim);
  if (p === 1) return a.sum(pr.dims, pr.keepdim);
  return a.pow(p).sum(pr.dims, pr.keepdim).pow(1 / p);
}

function boolReduce(kind: 'all' | 'any', x: Tensor, dim?: unknown, keep?: unknown): Tensor {
  checkTensor(kind, x);
  const p = parse(x, kind, dim, keep);
  const b = x.dtype === 'bool' ? x : x.ne(0);
  if (x.numel() === 0 || p.dims.some((d) => x.shape[d] === 0)) {
    const shape = x.shape.map((s, i) => (p.dims.includes(i) ? 1 : s)).filter((_, i) => p.keepdim || !p.dims.includes(i));
    return full(shape, kind === 'all' ? 1 : 0, { ...on(x), dtype: x.dtype === 'uint8' ? 'uint8' : 'bool' });
  }
  const r = reduceRaw(kind === 'all' ? 'min' : 'max', b, p.dims, p.keepdim).values;
  return x.dtype === 'uint8' ? r.to('uint8') : r; // PyTorch keeps uint8 for uint8 inputs
}
export const all = (x: Tensor, dim?: unknown, keep?: unknown) => boolReduce('all', x, dim, keep);
export const any = (x: Tensor, dim?: unknown, keep?: unknown) => boolReduce('any', x, dim, keep);

export function cumsum(x: Tensor, dim: unknown, opts?: ReduceOpts): Tensor {
  checkTensor('cumsum', x);
  let o = opts ?? {};
  if (dim !== null && typeof dim === 'object') { o = dim as ReduceOpts; dim = o.dim; }
  const d = wrapDim(dim as number, x.ndim, 'cumsum');
  return applyFunction('CumsumBackward0', (_c, a: Tensor) => {
    const out: DType = o.dtype ? toDType(o.dtype) : isFloating(a.dtype) ? a.dtype : 'int32';
    const be = backendFor('cumsum', [a]);
    return new Tensor(a.numel() === 0 ? be.full(out, 0, 0) : be.cumsum(a, d, out), a.shape);
  }, (_c, g) => [g.sum(d, true).sub(g.cumsum(d)).add(g)], [x]);
}

export function softmax(x: Tensor, dim: unknown): Tensor {
  checkTensor('softmax', x);
  const d = wrapDim((typeof dim === 'object' && dim !== null ? (dim as ReduceOpts).dim : dim) as number, x.ndim, 'softmax');
  checkFloatKernel('softmax', 'softmax_lastdim_kernel_impl', x.dtype);
  // exp(log_softmax(x)): two passes over x where max, sub, exp, sum and div took five; the
  // backward, y * (g - sum(g * y)), is log_softmax's kernel applied to g * y
  return applyFunction('SoftmaxBackward0', (ctx, a: Tensor) => {
    const src = isFloating(a.dtype) ? a : a.to('float32');
    const logy = new Tensor(backendFor('softmax', [src]).logSoftmax(src, d), src.shape);
    const y = logy.exp();
    ctx.save_for_backward(y, logy);
    return y;
  }, (ctx, g) => {
    const [y, logy] = ctx.saved_tensors;
    // create_graph: a composite of differentiable ops (double backward); otherwise the fused kernel
    if (is_grad_enabled()) return [y.mul(g.sub(g.mul(y).sum(d, true)))];
    const gy = g.mul(y);
    return [new Tensor(backendFor('softmax_backward', [gy, logy]).logSoftmaxBackward(gy, logy, d), y.shape)];
  }, [x], { dim: d });
}

export function log_softmax(x: Tensor, dim: unknown): Tensor {
  checkTensor('log_softmax', x);
  const d = wrapDim((typeof dim === 'object' && dim !== null ? (dim as ReduceOpts).dim : dim) as number, x.ndim, 'log_softmax');
  checkFloatKernel('log_softmax', 'log_softmax_lastdim_kernel_impl', x.dtype);
  return applyFunction('LogSoftmaxBackward0', (ctx, a: Tensor) => {
    const src = isFloating(a.dtype) ? a : a.to('float32');
    const y = new Tensor(backendFor('log_softmax', [src]).logSoftmax(src, d), src.shape);
    ctx.save_for_backward(y);
    return y;
  }, (ctx, g) => {
    const [y] = ctx.saved_tensors;
    // create_graph: a composite of differentiable ops (double backward); otherwise the fused kernel
    if (is_grad_enabled()) return [g.sub(y.exp().mul(g.sum(d, true)))];
    return [new Tensor(backendFor('log_softmax_backward', [g, y]).logSoftmaxBackward(g, y, d), y.shape)];
  }, [x], { dim: d });
}


// ------------------------------------------------------------------ Tensor methods
import { installMethods } from './methods.js';
import type { DimArg } from './types.js';

type KeepArg = boolean | ReduceOpts;
declare module '../tensor.js' {
  interface Tensor {
    sum(dim?: DimArg | ReduceOpts, keepdim?: KeepArg): Tensor;
    mean(dim?: DimArg | ReduceOpts, keepdim?: KeepArg): Tensor;
    prod(dim?: number | ReduceOpts, keepdim?: KeepArg): Tensor;
    /** max() is the maximum value; max(dim) gives [values, indices] (also as .values, .indices); max(other) is maximum(). */
    max(): Tensor;
    max(dim: number | Tensor | ReduceOpts, keepdim?: KeepArg): any;
    /** min() is the minimum value; min(dim) gives [values, indices] (also as .values, .indices); min(other) is minimum(). */
    min(): Tensor;
    min(dim: number | Tensor | ReduceOpts, keepdim?: KeepArg): any;
    amax(dim?: DimArg | ReduceOpts, keepdim?: KeepArg): Tensor;
    amin(dim?: DimArg | ReduceOpts, keepdim?: KeepArg): Tensor;
    argmax(dim?: number | null | ReduceOpts, keepdim?: KeepArg): Tensor;
    argmin(dim?: number | null | ReduceOpts, keepdim?: KeepArg): Tensor;
    var(dim?: DimArg | ReduceOpts, opts?: KeepArg, keepdim?: boolean): Tensor;
    std(dim?: DimArg | ReduceOpts, opts?: KeepArg, keepdim?: boolean): Tensor;
    logsumexp(dim: DimArg | ReduceOpts, keepdim?: KeepArg): Tensor;
    norm(p?: number | string | ReduceOpts | null, dim?: DimArg | ReduceOpts, keepdim?: KeepArg): Tensor;
    all(dim?: number | ReduceOpts, keepdim?: KeepArg): Tensor;
    any(dim?: number | ReduceOpts, keepdim?: KeepArg): Tensor;
    cumsum(dim: number | ReduceOpts, opts?: ReduceOpts): Tensor;
    softmax(dim: number | ReduceOpts): Tensor;
    log_softmax(dim: number | ReduceOpts): Tensor;
  }
}

installMethods({
  sum, mean, prod, max, min, amax, amin, argmax, argmin, var: var_, std, logsumexp, norm, all, any, cumsum, softmax, log_softmax,
});
