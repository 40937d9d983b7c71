// Diagonals: diagonal (a view of one diagonal of two dims), diag_embed (its inverse: zeros with
// the last dim written onto a diagonal) and diag (either, for 1-D and 2-D input).
import { Tensor } from '../tensor.js';
import { contiguousStrides, shapeStr, wrapDim } from '../shape.js';
import { applyFunction } from '../autograd/function.js';
import { parseArgs } from '../nn/functional/args.js';
import { checkTensor } from './pointwise.js';
import { embed } from './views.js';
import { installMethods } from './methods.js';

interface DiagArgs { offset: number; dim1: number; dim2: number }

/** The geometry of diagonal `offset` of dims (d1, d2) in a tensor of `shape`/`strides`/`offset0`. */
function diagGeom(shape: number[], strides: number[], offset0: number, k: number, d1: number, d2: number) {
  const len = Math.max(0, Math.min(shape[d1] + Math.min(k, 0), shape[d2] - Math.max(k, 0)));
  const keep = shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
  const start = len === 0 ? offset0 : offset0 + (k >= 0 ? k * strides[d2] : -k * strides[d1]);
  return { shape: [...keep.map((i) => shape[i]), len], strides: [...keep.map((i) => strides[i]), strides[d1] + strides[d2]], offset: start };
}

function dims(op: string, ndim: number, a: DiagArgs): [number, number] {
  const d1 = wrapDim(a.dim1, ndim, op), d2 = wrapDim(a.dim2, ndim, op);
  if (d1 === d2) throw new RangeError(`${op}: diagonal dimensions cannot be identical ${a.dim1}, ${a.dim2}`);
  if (!Number.isInteger(a.offset)) throw new TypeError(`${op}(): argument 'offset' must be int, not ${a.offset}`);
  return [d1, d2];
}

/** torch.diagonal(input, offset=0, dim1=0, dim2=1): a view, with the diagonal as the last dim */
export function diagonal(x: Tensor, ...rest: unknown[]): Tensor {
  checkTensor('diagonal', x);
  const a = parseArgs<DiagArgs>('diagonal', rest, ['offset', 'dim1', 'dim2'], { offset: 0, dim1: 0, dim2: 1 });
  const [d1, d2] = dims('diagonal', x.ndim, a);
  return applyFunction('DiagonalBackward0', (ctx, t: Tensor) => {
    ctx.inShape = [...t.shape];
    const g = diagGeom(t.shape, t._strides, t._offset, a.offset, d1, d2);
    return t._view(g.shape, g.strides, g.offset);
  }, (ctx, g) => {
    const shape = ctx.inShape as number[];
    return [embed(g, shape, diagGeom(shape, contiguousStrides(shape), 0, a.offset, d1, d2))];
  }, [x]);
}

/** torch.diag_embed(input, offset=0, dim1=-2, dim2=-1): the last dim of input on a diagonal of two new dims */
export function diag_embed(x: Tensor, ...rest: unknown[]): Tensor {
  checkTensor('diag_embed', x);
  const a = parseArgs<DiagArgs>('diag_embed', rest, ['offset', 'dim1', 'dim2'], { offset: 0, dim1: -2, dim2: -1 });
  const src = x.ndim === 0 ? x.reshape([1]) : x;
  const [d1, d2] = dims('diag_embed', src.ndim + 1, a);
  const n = src.shape[src.ndim - 1], m = n + Math.abs(a.offset);
  const batch = src.shape.slice(0, -1);
  const shape: number[] = [];
  for (let i = 0, b = 0; i < src.ndim + 1; i++) shape.push(i === d1 || i === d2 ? m : batch[b++]);
  return embed(src, shape, diagGeom(shape, contiguousStrides(shape), 0, a.offset, d1, d2));
}

/** torch.diag(input, diagonal=0): a 1-D input on a diagonal of a square matrix, or a 2-D input's diagonal (a copy) */
export function diag(x: Tensor, diagonalArg: number | { diagonal?: number } = 0): Tensor {
  checkTensor('diag', x);
  const k = typeof diagonalArg === 'object' ? diagonalArg.diagonal ?? 0 : diagonalArg;
  if (x.ndim === 1) return diag_embed(x, k, 0, 1);
  if (x.ndim === 2) return diagonal(x, k).clone();
  throw new RangeError(`diag: matrix or a vector expected (got a ${x.ndim}-D tensor of shape ${shapeStr(x.shape)})`);
}

declare module '../tensor.js' {
  interface Tensor {
    diagonal(offset?: number | Partial<DiagArgs>, dim1?: number, dim2?: number): Tensor;
    diag_embed(offset?: number | Partial<DiagArgs>, dim1?: number, dim2?: number): Tensor;
    diag(diagonal?: number | { diagonal?: number }): Tensor;
  }
}
installMethods({ diagonal, diag_embed, diag });
