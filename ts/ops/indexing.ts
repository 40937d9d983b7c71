// Joining, splitting and indexing ops. Gather/scatter-style kernels address elements through
// precomputed offsets, so one kernel serves gather, scatter and index_select on any layout.
import { Tensor } from '../tensor.js';
import { promoteTypes } from '../dtype.js';
import { broadcastShapes, kwarg, named, numel, shapeStr, wrapDim } from '../shape.js';
import { writeView } from '../backend/move.js';
import { backendFor } from '../backend/dispatch.js';
import { applyFunction } from '../autograd/function.js';
import type { TensorOrScalar } from './types.js';
import { checkTensor, promote, scalarTensor } from './pointwise.js';
import { zeros, arange, on } from '../creation.js';

// Index values are checked only where the backend reads them synchronously (`syncReads`): the
// CPU raises IndexError; on webgpu out-of-range indices read zeros and write nothing (see
// ts/backend/kernels/indexing.ts).

function checkIndexTensor(op: string, index: Tensor): void {
  checkTensor(op, index);
  if (index.dtype !== 'int32') throw new TypeError(`${op}(): Expected dtype int64 for index (webtorch: int32), got ${index.dtype}`);
}

// ------------------------------------------------------------------ cat / stack / split
export function cat(tensors: Tensor[], dim: number | { dim?: number } = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error('torch.cat(): expected a non-empty list of Tensors');
  tensors.forEach((t) => checkTensor('cat', t));
  const d0 = typeof dim === 'object' ? dim.dim ?? 0 : dim;
  // legacy: 1-D empty tensors are skipped
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  if (parts.length === 0) return tensors[0].clone();
  const ref = parts[0];
  const d = wrapDim(d0, ref.ndim, 'cat');
  parts.forEach((t, i) => {
    if (t.ndim !== ref.ndim) throw new RangeError(`torch.cat(): Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim}`);
    t.shape.forEach((s, j) => {
      if (j !== d && s !== ref.shape[j]) throw new RangeError(`torch.cat(): Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[j]} but got size ${s} for tensor number ${i} in the list.`);
    });
  });
  const dtype = parts.map((t) => t.dtype).reduce(promoteTypes);
  const backend = backendFor('cat', tensors);
  const skipped = (t: Tensor) => !parts.includes(t);
  return applyFunction('CatBackward0', (_c, ...ts: Tensor[]) => {
    const shape = [...ref.shape];
    shape[d] = parts.reduce((a, t) => a + t.shape[d], 0);
    // every element is written by one part, so no zero fill first
    const out = new Tensor(backend.empty(dtype, numel(shape), 'cat'), shape);
    let off = 0;
    for (const t of ts) {
      if (skipped(t) || !t.shape[d]) continue;
      writeView(out.narrow(d, off, t.shape[d]), t);
      off += t.shape[d];
    }
    return out;
  }, (_c, g) => {
    let off = 0;
    return tensors.map((t) => {
      if (skipped(t)) return zeros([0], on(g));
      const r = g.narrow(d, off, t.shape[d]);
      off += t.shape[d];
      return r;
    });
  }, tensors, { dim: d });
}
export const concat = cat;
export const concatenate = cat;

export function stack(tensors: Tensor[], dim: number | { dim?: number } = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error('stack expects a non-empty TensorList');
  const d0 = typeof dim === 'object' ? dim.dim ?? 0 : dim;
  const ref = tensors[0];
  tensors.forEach((t, i) => {
    checkTensor('stack', t);
    if (t.shape.join() !== ref.shape.join()) throw new RangeError(`stack expects each tensor to be equal size, but got ${shapeStr(ref.shape)} at entry 0 and ${shapeStr(t.shape)} at entry ${i}`);
  });
  const d = wrapDim(d0, ref.ndim + 1, 'stack');
  return cat(tensors.map((t) => t.unsqueeze(d)), d);
}

export function split(x: Tensor, size: number | number[], dimArg: number | { dim?: number } = 0): Tensor[] {
  checkTensor('split', x);
  if (x.ndim === 0) throw new RangeError('split expects at least a 1-dimensional tensor');
  const dim = kwarg(dimArg, 'dim', 0);
  const d = wrapDim(dim, x.ndim, 'split');
  const n = x.shape[d];
  let sizes: number[];
  if (Array.isArray(size)) {
    if (size.reduce((a, b) => a + b, 0) !== n) throw new RangeError(`split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${d}), but got split_sizes=${shapeStr(size)}`);
    sizes = size;
  } else {
    if (!Number.isInteger(size) || size < 0 || (size === 0 && n > 0)) throw new RangeError(`split expects split_size be non-negative, but got split_size=${size}`);
    sizes = [];
    for (let s = 0; s < n; s += size) sizes.push(Math.min(size, n - s));
    if (n === 0) sizes.push(0);
  }
  // one autograd node for all pieces, whose backward is one cat (PyTorch's SplitBackward0), rather
  // than a SliceBackward0 per piece, each writing its gradient into zeros of x's full size that
  // the engine then adds up (attention's q, k, v thirds of one projection paid three of those)
  const pieces = (a: Tensor): Tensor[] => {
    let off = 0;
    return sizes.map((s) => { const r = a.narrow(d, off, s); off += s; return r; });
  };
  const name = Array.isArray(size) ? 'SplitWithSizesBackward0' : 'SplitBackward0';
  return applyFunction(name, (_c, a: Tensor) => pieces(a), (_c, ...gs: Tensor[]) => [cat(gs, d)], [x], { dim: d, sizes });
}

export function chunk(x: Tensor, chunks: number, dimArg: number | { dim?: number } = 0): Tensor[] {
  const dim = kwarg(dimArg, 'dim', 0);
  checkTensor('chunk', x);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new RangeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  if (x.ndim === 0) throw new RangeError('chunk expects at least a 1-dimensional tensor');
  const d = wrapDim(dim, x.ndim, 'chunk');
  if (x.shape[d] === 0) return Array.from({ length: chunks }, () => x.narrow(d, 0, 0)); // PyTorch: `chunks` empty pieces
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

// ------------------------------------------------------------------ gather / scatter family
/**
 * out[pos] = src[pos with index[pos] along dim]. A negative index is an error, as in PyTorch
 * ("index out of range in self" for index_select); a backend without synchronous reads (webgpu)
 * raises no value-dependent errors, and there index_select keeps counting negative ones from the end.
 */
function gatherRaw(op: string, src: Tensor, dim: number, index: Tensor): Tensor {
  const be = backendFor(op, [src, index]);
  return new Tensor(be.gather(src, dim, index, op === 'index_select' && !be.syncReads, op), index.shape);
}

function checkGatherShapes(op: string, x: Tensor, dim: number, index: Tensor, src?: Tensor): void {
  if (src && index.ndim !== src.ndim && !(index.ndim <= 1 && src.ndim <= 1)) throw new RangeError(`${op}(): Index tensor must have the same number of dimensions as src tensor`);
  if (index.ndim !== x.ndim && !(index.ndim <= 1 && x.ndim <= 1)) throw new RangeError(`${op}(): Index tensor must have the same number of dimensions as ${op === 'gather' ? 'input' : 'self'} tensor`);
  index.shape.forEach((s, i) => {
    if (i !== dim && s > x.shape[i]) throw new RangeError(`${op}(): Size does not match at dimension ${i} expected index ${shapeStr(index.shape)} to be smaller than self ${shapeStr(x.shape)} apart from dimension ${dim}`);
    if (src && s > src.shape[i]) throw new RangeError(`${op}(): Expected index ${shapeStr(index.shape)} to be smaller than self ${shapeStr(x.shape)} apart from dimension ${dim} and to be smaller size than src ${shapeStr(src.shape)}`);
  });
}

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('gather', x); checkIndexTensor('gather', index);
  const d = wrapDim(dim, x.ndim, 'gather');
  checkGatherShapes('gather', x, d, index);
  return applyFunction('GatherBackward0', (ctx, a: Tensor) => {
    ctx.shape = [...a.shape];
    return gatherRaw('gather', a.ndim ? a : a.reshape([1]), a.ndim ? d : 0, index.ndim ? index : index.reshape([1])).reshape(index.shape);
  }, (ctx, g) => [scatter_add(zeros(ctx.shape as number[], on(g)), d, index, g)], [x]);
}

export function index_select(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('index_select', x); checkIndexTensor('index_select', index);
  if (index.ndim > 1) throw new RangeError('index_select(): Index is supposed to be a vector');
  const d = wrapDim(dim, x.ndim, 'index_select');
  const flatIdx = index.reshape([-1]);
  return applyFunction('IndexSelectBackward0', (ctx, a: Tensor) => {
    ctx.shape = [...a.shape];
    if (a.ndim === 0) return gatherRaw('index_select', a.reshape([1]), 0, flatIdx).reshape(index.ndim ? [flatIdx.shape[0]] : []);
    const shape = [...a.shape]; shape[d] = flatIdx.shape[0];
    // the index broadcast along the other dims, as a gather index
    const view = [1 + 0, ...Array(a.ndim).fill(1)].slice(1); view[d] = flatIdx.shape[0];
    const full = flatIdx.reshape(view).expand(shape);
    return gatherRaw('index_select', a, d, full);
  }, (ctx, g) => {
    const shape = ctx.shape as number[];
    // negative indices count from the end here; scatter_add takes only non-negative ones
    const size = shape.length ? shape[d] : 1;
    const idx = flatIdx.where(flatIdx.ge(0), flatIdx.add(size));
    if (shape.length === 0) return [scatter_add(zeros([1], on(g)), 0, idx, g.reshape([-1])).reshape([])];
    const view = Array(shape.length).fill(1); view[d] = flatIdx.shape[0];
    const full = idx.reshape(view).expand(g.shape);
    // the kernels read the expanded index through its strides
    return [scatter_add(zeros(shape, on(g)), d, full, g)];
  }, [x]);
}

function scatterRaw(op: 'scatter' | 'scatter_add', x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  if (x.ndim === 0 || index.ndim === 0) {
    // 0-dim operands scatter as one-element vectors
    const one = (t: Tensor) => (t.ndim ? t : t.reshape([1]));
    return scatterRaw(op, one(x), 0, one(index), src instanceof Tensor ? one(src) : src).reshape(x.shape);
  }
  const backend = backendFor(op, [x, index, src instanceof Tensor ? src : null]);
  const s = typeof src === 'number' ? src : narrowTo(src, index.shape);
  const out = op === 'scatter_add' ? backend.scatterAdd(x, dim, index, s as Tensor) : backend.scatter(x, dim, index, s);
  return new Tensor(out, x.shape);
}

/** src narrowed (from 0) to `shape` along every dim */
function narrowTo(t: Tensor, shape: readonly number[]): Tensor {
  let r = t;
  shape.forEach((s, i) => { if (r.shape[i] !== s) r = r.narrow(i, 0, s); });
  return r;
}

export function scatter(x: Tensor, dim: number, index: Tensor, src: TensorOrScalar | { value?: number; src?: Tensor; reduce?: string }): Tensor {
  checkTensor('scatter', x); checkIndexTensor('scatter', index);
  if (src !== null && typeof src === 'object' && !(src instanceof Tensor)) {
    if (src.reduce) throw new Error('scatter(): the reduce argument is not supported; use scatter_add');
    src = (src.src ?? src.value) as TensorOrScalar;
  }
  const d = wrapDim(dim, x.ndim, 'scatter');
  if (src instanceof Tensor) {
    if (src.dtype !== x.dtype) throw new TypeError(`scatter(): Expected self.dtype to be equal to src.dtype`);
    checkGatherShapes('scatter', x, d, index, src);
    return applyFunction('ScatterBackward0', () => scatterRaw('scatter', x, d, index, src as Tensor), (ctx, g) => [
      ctx.needs_input_grad[0] ? scatter(g, d, index, 0) : null,
      ctx.needs_input_grad[1] ? g.gather(d, index) : null,
    ], [x, src]);
  }
  checkGatherShapes('scatter', x, d, index);
  const v = +(src as number);
  return applyFunction('ScatterBackward1', () => scatterRaw('scatter', x, d, index, v), (_c, g) => [scatter(g, d, index, 0)], [x]);
}

export function scatter_add(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkTensor('scatter_add', x); checkIndexTensor('scatter_add', index); checkTensor('scatter_add', src);
  const d = wrapDim(dim, x.ndim, 'scatter_add');
  if (src.dtype !== x.dtype) throw new TypeError(`scatter_add(): Expected self.dtype to be equal to src.dtype`);
  checkGatherShapes('scatter_add', x, d, index, src);
  return applyFunction('ScatterAddBackward0', (_c, a: Tensor, s: Tensor) => scatterRaw('scatter_add', a, d, index, s), (ctx, g) => [
    ctx.needs_input_grad[0] ? g : null,
    ctx.needs_input_grad[1] ? g.gather(d, index) : null,
  ], [x, src]);
}

// ------------------------------------------------------------------ where / masks
export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  checkTensor('where', cond);
  if (cond.dtype !== 'bool' && cond.dtype !== 'uint8') throw new TypeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${cond.dtype}`);
  const dtype = promote(a, b);
  const ta = a instanceof Tensor ? a : scalarTensor(a, dtype);
  const tb = b instanceof Tensor ? b : scalarTensor(b, dtype);
  const shape = broadcastShapes('where', cond.shape, ta.shape, tb.shape);
  const backend = backendFor('where', [cond, ta, tb], true);
  return applyFunction('WhereBackward0', (_c, c: Tensor, x: Tensor, y: Tensor) => new Tensor(backend.where(c, x, y, dtype, shape), shape), (ctx, g) => {
    const zero = scalarTensor(0, g.dtype);
    return [null, ctx.needs_input_grad[1] ? where(cond, g, zero) : null, ctx.needs_input_grad[2] ? where(cond, zero, g) : null];
  }, [cond, ta, tb]);
}

export function masked_fill(x: Tensor, mask: Tensor, value: TensorOrScalar): Tensor {
  return named('masked_fill', () => {
    checkTensor('masked_fill', x); checkTensor('masked_fill', mask);
    if (mask.dtype !== 'bool') throw new TypeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype}`);
    if (value instanceof Tensor && value.ndim !== 0) throw new RangeError(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
    broadcastShapes('masked_fill', x.shape, mask.shape);
    const v = value instanceof Tensor ? value.to(x.dtype) : scalarTensor(value, x.dtype);
    return where(mask, v, x);
  });
}

export function tril(x: Tensor, diagonal: number | { diagonal?: number } = 0): Tensor { return triangle('tril', x, kwarg(diagonal, 'diagonal', 0)); }
export function triu(x: Tensor, diagonal: number | { diagonal?: number } = 0): Tensor { return triangle('triu', x, kwarg(diagonal, 'diagonal', 0)); }
function triangle(op: 'tril' | 'triu', x: Tensor, k: number): Tensor {
  checkTensor(op, x);
  if (x.ndim < 2) throw new RangeError(`${op}: input tensor must have at least 2 dimensions`);
  const [r, c] = x.shape.slice(-2);
  const dev = { device: x.device };
  const diff = arange(c, dev).unsqueeze(0).sub(arange(r, dev).unsqueeze(1)); // col - row
  const keep = op === 'tril' ? diff.le(k) : diff.ge(k);
  return where(keep, x, scalarTensor(0, x.dtype));
}

export function flip(x: Tensor, ...dimsArg: (number | number[])[]): Tensor {
  checkTensor('flip', x);
  const dims = (dimsArg.length === 1 && Array.isArray(dimsArg[0]) ? dimsArg[0] : dimsArg) as number[];
  let r = x;
  for (const d0 of dims) {
    const d = wrapDim(d0, x.ndim, 'flip');
    const n = x.shape[d];
    r = index_select(r, d, arange(n - 1, -1, -1, { device: x.device }));
  }
  return dims.length ? r : x.clone();
}

export function repeat(x: Tensor, ...sizesArg: (number | number[])[]): Tensor {
  checkTensor('repeat', x);
  const sizes = (sizesArg.length === 1 && Array.isArray(sizesArg[0]) ? sizesArg[0] : sizesArg) as number[];
  if (sizes.length < x.ndim) throw new RangeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  const lead = sizes.length - x.ndim;
  const xs = [...Array(lead).fill(1), ...x.shape];
  let r = x.reshape(xs);
  // interleave: [s0, x0, s1, x1, ...] then merge pairs
  const inter: number[] = [], expandTo: number[] = [];
  xs.forEach((s, i) => { inter.push(1, s); expandTo.push(sizes[i], s); });
  r = r.reshape(inter).expand(expandTo);
  return r.reshape(xs.map((s, i) => s * sizes[i]));
}

export function one_hot(x: Tensor, numClasses: number | { num_classes?: number } = -1): Tensor {
  const num_classes = kwarg(numClasses, 'num_classes', -1);
  checkTensor('one_hot', x);
  if (x.dtype !== 'int32') throw new TypeError('one_hot is only applicable to index tensor.');
  let n = num_classes;
  if (!backendFor('one_hot', [x]).syncReads) {
    // the checks below read values back; on webgpu class values outside [0, n) give all-zero rows
    if (n === -1 && x.numel()) {
      throw new Error('one_hot: on webgpu, pass num_classes: inferring it needs the largest class value, and reading webgpu values back is asynchronous '
        + '(e.g. `num_classes: (await x.max().item()) + 1`)');
    }
    if (n < -1 && x.numel()) throw new RangeError('Class values must be smaller than num_classes.');
    return x.unsqueeze(-1).eq(arange(Math.max(n, 0), { device: x.device })).to('int32');
  }
  if (n === -1) n = x.numel() ? (x.max().itemSync() as number) + 1 : 0;
  if (x.numel() && (x.min().itemSync() as number) < 0) throw new RangeError('Class values must be non-negative.');
  if (x.numel() && (x.max().itemSync() as number) >= n) throw new RangeError('Class values must be smaller than num_classes.');
  return x.unsqueeze(-1).eq(arange(n, { device: x.device })).to('int32');
}


// ------------------------------------------------------------------ Tensor methods
import { installMethods, installInplace } from './methods.js';
import { inplace } from './pointwise.js';

type DimOpt = number | { dim?: number };
declare module '../tensor.js' {
  interface Tensor {
    split(split_size_or_sections: number | number[], dim?: DimOpt): Tensor[];
    chunk(chunks: number, dim?: DimOpt): Tensor[];
    index_select(dim: number, index: Tensor): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatter(dim: number, index: Tensor, src: TensorOrScalar | { value?: number; src?: Tensor; reduce?: string }): Tensor;
    scatter_(dim: number, index: Tensor, src: TensorOrScalar | { value?: number; src?: Tensor; reduce?: string }): this;
    scatter_add(dim: number, index: Tensor, src: Tensor): Tensor;
    scatter_add_(dim: number, index: Tensor, src: Tensor): this;
    /** x.where(condition, other): x where condition holds, else other */
    where(condition: Tensor, other: TensorOrScalar): Tensor;
    masked_fill(mask: Tensor, value: TensorOrScalar): Tensor;
    masked_fill_(mask: Tensor, value: TensorOrScalar): this;
    tril(diagonal?: number | { diagonal?: number }): Tensor;
    triu(diagonal?: number | { diagonal?: number }): Tensor;
    flip(...dims: (number | number[])[]): Tensor;
    repeat(...sizes: (number | number[])[]): Tensor;
  }
}

installMethods({
  split, chunk, index_select, gather, scatter, scatter_add,
  where: (x, condition, other) => where(condition, x, other),
  masked_fill, tril, triu, flip, repeat,
});
installInplace(['scatter', 'scatter_add', 'masked_fill'], inplace);
