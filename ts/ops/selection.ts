// Ops whose result is shaped by the values of their input: masked_select, nonzero/argwhere and
// unique (they read values synchronously, so a webgpu input gets an error pointing at
// `await t.cpu()`); and take_along_dim, gather with broadcasting.
import { Tensor } from '../tensor.js';
import { broadcastShapes, contiguousStrides, wrapDim } from '../shape.js';
import { backendFor } from '../backend/dispatch.js';
import { tensor as makeTensor, on } from '../creation.js';
import { parseArgs } from '../nn/functional/args.js';
import { checkTensor } from './pointwise.js';
import { gather } from './indexing.js';
import { installMethods } from './methods.js';

function readable(op: string, x: Tensor): ArrayLike<number> {
  if (!backendFor(op, [x]).syncReads) {
    throw new Error(`${op}: the size of the result depends on the values of a ${x.device} tensor, and reading webgpu values back is asynchronous: call it on \`await t.cpu()\``);
  }
  return x.contiguous().dataSync() as ArrayLike<number>;
}

/** torch.masked_select(input, mask): the elements where the (broadcast) bool mask is true, as 1-D */
export function masked_select(x: Tensor, mask: Tensor): Tensor {
  checkTensor('masked_select', x); checkTensor('masked_select', mask);
  if (mask.dtype !== 'bool' && mask.dtype !== 'uint8') throw new TypeError('masked_select: expected BoolTensor or ByteTensor for mask');
  const shape = broadcastShapes('masked_select', x.shape, mask.shape);
  readable('masked_select', mask);
  return x.expand(shape).index(mask.expand(shape).contiguous());
}

/** torch.nonzero(input, as_tuple=False): the indices of non-zero elements, [n, ndim] (or one 1-D tensor per dim) */
export function nonzero(x: Tensor, opts: { as_tuple?: boolean } = {}): Tensor | Tensor[] {
  checkTensor('nonzero', x);
  const v = readable('nonzero', x);
  const shape = x.ndim ? x.shape : [1], strides = contiguousStrides(shape);
  const rows: number[][] = [];
  for (let i = 0; i < v.length; i++) {
    if (!v[i] && !Number.isNaN(v[i])) continue;
    let rem = i;
    rows.push(x.ndim ? strides.map((s) => { const c = Math.floor(rem / s); rem %= s; return c; }) : []);
  }
  const nd = x.ndim;
  // as_tuple treats a 0-d input as 1-D, as PyTorch does
  if (opts.as_tuple) return (nd ? shape : [1]).map((_, k) => makeTensor(rows.map((r) => r[k] ?? 0), { dtype: 'int32', device: x.device }));
  return makeTensor(rows.flat(), { dtype: 'int32', device: x.device }).reshape([rows.length, nd]);
}

/** torch.argwhere(input): nonzero(input) */
export const argwhere = (x: Tensor): Tensor => nonzero(x) as Tensor;

interface UniqueArgs { sorted: boolean; return_inverse: boolean; return_counts: boolean; dim: number | null }

/**
 * torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None): the
 * distinct values (or slices along dim), always in ascending order. Returns the tensor, or
 * [values, inverse?, counts?] when either flag is set.
 */
export function unique(x: Tensor, ...rest: unknown[]): Tensor | Tensor[] {
  checkTensor('unique', x);
  const a = parseArgs<UniqueArgs>('unique', rest, ['sorted', 'return_inverse', 'return_counts', 'dim'], { sorted: true, return_inverse: false, return_counts: false, dim: null });
  const v = readable('unique', x);
  const dim = a.dim === null || a.dim === undefined ? null : wrapDim(a.dim, x.ndim, 'unique');
  // the slices to compare: single elements, or the slices along dim
  const n = dim === null ? v.length : x.shape[dim];
  const slices: number[][] = [];
  if (dim === null) for (let i = 0; i < n; i++) slices.push([v[i]]);
  else {
    const moved = x.permute([dim, ...x.shape.map((_, i) => i).filter((i) => i !== dim)]).contiguous();
    const mv = moved.dataSync() as ArrayLike<number>, w = n ? mv.length / n : 0;
    for (let i = 0; i < n; i++) slices.push(Array.from({ length: w }, (_, j) => mv[i * w + j]));
  }
  const cmp = (p: number[], q: number[]): number => {
    for (let j = 0; j < p.length; j++) if (p[j] !== q[j]) return p[j] < q[j] || Number.isNaN(q[j]) ? -1 : 1;
    return 0;
  };
  const order = slices.map((_, i) => i).sort((i, j) => cmp(slices[i], slices[j]) || i - j);
  const inverse = new Array<number>(n), counts: number[] = [], firsts: number[] = [];
  for (const i of order) {
    if (!firsts.length || cmp(slices[firsts[firsts.length - 1]], slices[i]) !== 0) { firsts.push(i); counts.push(0); }
    inverse[i] = firsts.length - 1;
    counts[counts.length - 1]++;
  }
  let values: Tensor;
  if (dim === null) values = makeTensor(firsts.map((i) => slices[i][0]), on(x));
  else values = x.index_select(dim, makeTensor(firsts, { dtype: 'int32', device: x.device })).detach();
  if (!a.return_inverse && !a.return_counts) return values;
  const out = [values];
  if (a.return_inverse) out.push(makeTensor(inverse, { dtype: 'int32', device: x.device }).reshape(dim === null ? x.shape : [n]));
  if (a.return_counts) out.push(makeTensor(counts, { dtype: 'int32', device: x.device }));
  return out;
}

/** torch.take_along_dim(input, indices, dim=None): gather with input and indices broadcast (or over the flattened input) */
export function take_along_dim(x: Tensor, indices: Tensor, dimArg: number | null | { dim?: number | null } = null): Tensor {
  checkTensor('take_along_dim', x); checkTensor('take_along_dim', indices);
  const dim = dimArg !== null && typeof dimArg === 'object' ? dimArg.dim ?? null : dimArg;
  if (indices.dtype !== 'int32') throw new TypeError(`torch.take_along_dim(): dtype of indices should be Long but got ${indices.dtype}`);
  if (dim === null) return gather(x.reshape([-1]), 0, indices.reshape([-1]));
  const d = wrapDim(dim, x.ndim, 'take_along_dim');
  if (x.ndim !== indices.ndim) {
    throw new RangeError(`torch.take_along_dim(): input and indices should have the same number of dimensions, but got ${x.ndim} dimensions for input, and ${indices.ndim} dimensions for indices`);
  }
  const xs = [...x.shape], is = [...indices.shape];
  xs[d] = 1; is[d] = 1;
  const b = broadcastShapes('take_along_dim', xs, is);
  const xShape = [...b], iShape = [...b];
  xShape[d] = x.shape[d]; iShape[d] = indices.shape[d];
  return gather(x.expand(xShape), d, indices.expand(iShape).contiguous());
}

declare module '../tensor.js' {
  interface Tensor {
    masked_select(mask: Tensor): Tensor;
    nonzero(opts?: { as_tuple?: boolean }): Tensor | Tensor[];
    argwhere(): Tensor;
    unique(sorted?: boolean | Partial<UniqueArgs>, return_inverse?: boolean, return_counts?: boolean, dim?: number | null): Tensor | Tensor[];
    take_along_dim(indices: Tensor, dim?: number | null | { dim?: number | null }): Tensor;
  }
}
installMethods({ masked_select, nonzero, argwhere, unique, take_along_dim });
