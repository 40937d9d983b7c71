// Matrix products (mm, bmm, dot, matmul, addmm) with their autograd; the backend's batched GEMM
// (ts/backend/kernels/linalg.ts) reads transposes and broadcasts as strides, never copies.
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import { broadcastShapes, named, numel, shapeStr } from '../shape.js';
import { backendFor } from '../backend/dispatch.js';
import type { Backend } from '../backend/backend.js';
import { applyFunction } from '../autograd/function.js';
import { checkTensor } from './pointwise.js';
import { zeros } from '../creation.js';

function sameDtype(op: string, a: Tensor, b: Tensor): DType {
  if (a.dtype !== b.dtype) throw new TypeError(`${op}: expected m1 and m2 to have the same dtype, but got: ${a.dtype} != ${b.dtype}`);
  return a.dtype;
}

/** [..., m, k] @ [..., k, n] with broadcast batch dims, no autograd. */
function gemmRaw(be: Backend, a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.ndim - 2], n = b.shape[b.ndim - 1];
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  return new Tensor(be.matmul(a, b, batch), [...batch, m, n]);
}

/** A matrix laid out as the transpose of a contiguous one (a weight's .t(), as linear passes it). */
const transposed = (t: Tensor): boolean => t.ndim === 2 && t.shape[0] > 1 && t.shape[1] > 1 && t._strides[0] === 1 && t._strides[1] === t.shape[0];

/**
 * The gradients of a 2-D product x @ y, each made in its operand's layout as PyTorch's
 * mm_mat1_backward/mm_mat2_backward do: for y = W.t(), (g.t() @ x).t() is W's gradient already
 * contiguous, where x.t() @ g would need a transposing copy when it accumulates into W.grad.
 */
function mmGrads(needs: readonly boolean[], g: Tensor, x: Tensor, y: Tensor): [Tensor | null, Tensor | null] {
  return [
    needs[0] ? (transposed(x) ? y.mm(g.t()).t() : g.mm(y.t())) : null,
    needs[1] ? (transposed(y) ? g.t().mm(x).t() : x.t().mm(g)) : null,
  ];
}

/** The differentiable batched product behind mm, bmm and matmul. */
function product(name: string, be: Backend, a: Tensor, b: Tensor): Tensor {
  return applyFunction(name, (ctx, x: Tensor, y: Tensor) => {
    ctx.save_for_backward(x, y);
    return gemmRaw(be, x, y);
  }, (ctx, g) => {
    const [x, y] = ctx.saved_tensors;
    if (x.ndim === 2 && y.ndim === 2) return mmGrads(ctx.needs_input_grad, g, x, y);
    return [
      ctx.needs_input_grad[0] ? g.matmul(y.transpose(-1, -2)) : null,
      ctx.needs_input_grad[1] ? x.transpose(-1, -2).matmul(g) : null,
    ];
  }, [a, b]);
}

/** mm's checks (also addmm's): two matrices whose shapes multiply, of one dtype. */
function checkMm(a: Tensor, b: Tensor): void {
  checkTensor('mm', a); checkTensor('mm', b);
  if (a.ndim !== 2) throw new RangeError(`self must be a matrix (mm got a ${a.ndim}-D tensor of shape ${shapeStr(a.shape)})`);
  if (b.ndim !== 2) throw new RangeError(`mat2 must be a matrix (mm got a ${b.ndim}-D tensor of shape ${shapeStr(b.shape)})`);
  if (a.shape[1] !== b.shape[0]) throw new RangeError(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  sameDtype('mm', a, b);
}

export function mm(a: Tensor, b: Tensor): Tensor {
  checkMm(a, b);
  return product('MmBackward0', backendFor('mm', [a, b]), a, b);
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  checkTensor('bmm', a); checkTensor('bmm', b);
  if (a.ndim !== 3) throw new RangeError(`batch1 must be a 3D tensor (bmm got shape ${shapeStr(a.shape)})`);
  if (b.ndim !== 3) throw new RangeError(`batch2 must be a 3D tensor (bmm got shape ${shapeStr(b.shape)})`);
  if (b.shape[0] !== a.shape[0] || b.shape[1] !== a.shape[2]) {
    throw new RangeError(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  }
  sameDtype('bmm', a, b);
  return product('BmmBackward0', backendFor('bmm', [a, b]), a, b);
}

export function dot(a: Tensor, b: Tensor): Tensor {
  checkTensor('dot', a); checkTensor('dot', b);
  if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.shape[0] !== b.shape[0]) {
    throw new RangeError(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  }
  sameDtype('dot', a, b);
  const be = backendFor('dot', [a, b]);
  return applyFunction('DotBackward0', (ctx, x: Tensor, y: Tensor) => {
    ctx.save_for_backward(x, y);
    return gemmRaw(be, x.unsqueeze(0), y.unsqueeze(1)).reshape([]);
  }, (ctx, g) => {
    const [x, y] = ctx.saved_tensors;
    return [ctx.needs_input_grad[0] ? y.mul(g) : null, ctx.needs_input_grad[1] ? x.mul(g) : null];
  }, [a, b]);
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  return named('matmul', () => {
    checkTensor('matmul', a); checkTensor('matmul', b);
    if (a.ndim === 0 || b.ndim === 0) throw new RangeError(`both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
    if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
    if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
    const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
    const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
    if (a2.shape[a2.ndim - 1] !== b2.shape[b2.ndim - 2]) {
      const s = (t: Tensor) => (t.ndim === 1 ? `${t.shape[0]}` : `${numel(t.shape.slice(0, -1))}x${t.shape[t.ndim - 1]}`);
      throw new RangeError(`mat1 and mat2 shapes cannot be multiplied (${s(a2)} and ${b2.shape[b2.ndim - 2]}x${b2.shape[b2.ndim - 1]}) (matmul of ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`);
    }
    sameDtype('matmul', a, b);
    // [..., m, k] @ [k, n]: the leading dims fold into the rows of one mm (as PyTorch does), so the
    // weight's gradient is one GEMM over all rows instead of a per-batch product summed afterwards
    if (a.ndim >= 3 && b.ndim <= 2) {
      const lead = a.shape.slice(0, -1);
      const r = product('MmBackward0', backendFor('matmul', [a, b]), a.reshape([numel(lead), a.shape[a.ndim - 1]]), b2);
      return r.view(b.ndim === 1 ? lead : [...lead, b.shape[1]]);
    }
    let r = product(a2.ndim === 2 && b2.ndim === 2 ? 'MmBackward0' : 'BmmBackward0', backendFor('matmul', [a, b]), a2, b2);
    if (a.ndim === 1) r = r.squeeze(-2);
    if (b.ndim === 1) r = r.squeeze(-1);
    return r;
  });
}

export function outer(a: Tensor, b: Tensor): Tensor {
  return named('outer', () => {
    checkTensor('outer', a); checkTensor('outer', b);
    if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`outer: expected 1D tensors, got ${a.ndim}D and ${b.ndim}D`);
    return a.unsqueeze(1).mul(b.unsqueeze(0));
  });
}

export function addmm(input: Tensor, m1: Tensor, m2: Tensor, opts: { beta?: number; alpha?: number } = {}): Tensor {
  return named('addmm', () => {
    checkTensor('addmm', input);
    const beta = opts.beta ?? 1, alpha = opts.alpha ?? 1;
    checkMm(m1, m2);
    if (input.dtype !== m1.dtype) throw new TypeError(`self and mat2 must have the same dtype, but got ${input.dtype} and ${m2.dtype}`);
    const shape = [m1.shape[0], m2.shape[1]];
    // input expands to the product's shape (never the other way), as in PyTorch
    if (input.ndim > 2 || shapeStr(broadcastShapes('addmm', input.shape, shape)) !== shapeStr(shape)) {
      throw new RangeError(`expand(${shapeStr(input.shape)}, size=${shapeStr(shape)}): the shape of self must expand to the product's shape ${shapeStr(shape)}`);
    }
    const be = backendFor('addmm', [input, m1, m2]);
    return applyFunction('AddmmBackward0', (ctx, inp: Tensor, a: Tensor, b: Tensor) => {
      ctx.save_for_backward(a, b);
      // the common case (linear's bias): the product accumulates onto input in the GEMM itself
      if (alpha === 1 && beta === 1) return new Tensor(be.matmul(a, b, [], inp), shape);
      const p0 = gemmRaw(be, a, b);
      const p = alpha === 1 ? p0 : p0.mul(alpha);
      // beta == 0 ignores input entirely (even NaN), as in PyTorch
      return beta === 0 ? p.expand(broadcastShapes('addmm', inp.shape, p.shape)).contiguous() : (beta === 1 ? inp : inp.mul(beta)).add(p);
    }, (ctx, g) => {
      const [a, b] = ctx.saved_tensors;
      const scale = (t: Tensor | null, k: number) => (t === null || k === 1 ? t : t.mul(k));
      const [ga, gb] = mmGrads(ctx.needs_input_grad.slice(1), g, a, b);
      return [ctx.needs_input_grad[0] ? scale(g, beta) : null, scale(ga, alpha), scale(gb, alpha)];
    }, [input, m1, m2]);
  });
}

/** beta * input + alpha * product, where beta == 0 ignores input (even NaN), as in PyTorch */
function scaledSum(op: string, input: Tensor, p: Tensor, beta: number, alpha: number): Tensor {
  checkTensor(op, input);
  const shape = broadcastShapes(op, input.shape, p.shape);
  if (shape.length !== p.ndim || shape.some((s, i) => s !== p.shape[i])) {
    throw new RangeError(`${op}: the input of shape ${shapeStr(input.shape)} does not broadcast to the product's shape ${shapeStr(p.shape)}`);
  }
  const q = alpha === 1 ? p : p.mul(alpha);
  // beta == 0: input's values are ignored, but it still gets a (zero) gradient, as in PyTorch
  if (beta === 0) return input.requires_grad ? input.where(zeros(q.shape, { dtype: 'bool', device: q.device }), q) : q;
  return (beta === 1 ? input : input.mul(beta)).add(q);
}

function batches(op: string, b1: Tensor, b2: Tensor): void {
  checkTensor(op, b1); checkTensor(op, b2);
  if (b1.ndim !== 3) throw new RangeError('batch1 must be a 3D tensor');
  if (b2.ndim !== 3) throw new RangeError('batch2 must be a 3D tensor');
}

/**
 * torch.baddbmm(input, batch1, batch2, beta=1, alpha=1): beta * input + alpha * (batch1 @ batch2),
 * in the batches' dtype (PyTorch casts input to it)
 */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: { beta?: number; alpha?: number } = {}): Tensor {
  return named('baddbmm', () => {
    batches('baddbmm', batch1, batch2);
    checkTensor('baddbmm', input);
    const p = bmm(batch1, batch2);
    return scaledSum('baddbmm', input.dtype === p.dtype ? input : input.to(p.dtype), p, opts.beta ?? 1, opts.alpha ?? 1);
  });
}

/** torch.addbmm(input, batch1, batch2, beta=1, alpha=1): beta * input + alpha * sum_b(batch1[b] @ batch2[b]) */
export function addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: { beta?: number; alpha?: number } = {}): Tensor {
  return named('addbmm', () => {
    batches('addbmm', batch1, batch2);
    checkTensor('addbmm', input);
    // PyTorch's order: input (self) against batch2 (mat2), then batch1 (mat1)
    if (input.dtype !== batch2.dtype) throw new TypeError(`self and mat2 must have the same dtype, but got ${input.dtype} and ${batch2.dtype}`);
    if (batch1.dtype !== batch2.dtype) throw new TypeError(`mat1 and mat2 must have the same dtype, but got ${batch1.dtype} and ${batch2.dtype}`);
    return scaledSum('addbmm', input, bmm(batch1, batch2).sum(0), opts.beta ?? 1, opts.alpha ?? 1);
  });
}

// ------------------------------------------------------------------ Tensor methods
import { installMethods } from './methods.js';

declare module '../tensor.js' {
  interface Tensor {
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
    dot(other: Tensor): Tensor;
    outer(other: Tensor): Tensor;
    addmm(mat1: Tensor, mat2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    baddbmm(batch1: Tensor, batch2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    addbmm(batch1: Tensor, batch2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
  }
}

installMethods({ matmul, mm, bmm, dot, outer, addmm, baddbmm, addbmm });
