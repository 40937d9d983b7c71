// Helpers shared by the distributions (PyTorch's torch/distributions/utils.py): broadcasting the
// parameters, probabilities <-> logits, and the small triangular linear algebra that
// MultivariateNormal needs, written with tensor ops so it differentiates and runs on every device.
import { Tensor } from '../tensor.js';
import { tensor, on, eye } from '../creation.js';
import { get_default_dtype, isFloating, type DType } from '../dtype.js';
import { broadcastShapes } from '../shape.js';
import { stack } from '../ops/indexing.js';

export type Param = Tensor | number;

/** Broadcasts tensors and numbers to one shape; numbers take the tensors' dtype and device (or the default dtype). */
export function broadcast_all(op: string, ...values: Param[]): Tensor[] {
  const ts = values.filter((v): v is Tensor => v instanceof Tensor);
  for (const v of values) {
    if (!(v instanceof Tensor) && typeof v !== 'number') throw new TypeError(`${op}: input arguments must all be instances of number or Tensor, got ${typeof v}`);
  }
  const like = ts.find((t) => isFloating(t.dtype)) ?? ts[0];
  const opts = like ? on(like) : { dtype: get_default_dtype() as DType };
  const asT = values.map((v) => (v instanceof Tensor ? v : tensor(v, opts)));
  const shape = broadcastShapes(op, ...asT.map((t) => t.shape));
  return asT.map((t) => (sameShape(t.shape, shape) ? t : t.expand(shape)));
}

/** a number as a tensor beside `like` (its dtype and device); tensors pass through */
export const asTensor = (v: Param, like: Tensor): Tensor => (v instanceof Tensor ? v : tensor(v, on(like)));

export const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** the smallest positive normal step: PyTorch clamps probabilities to [eps, 1 - eps] before a log */
export const eps = (dtype: DType): number => (dtype === 'float64' ? 2.220446049250313e-16 : 1.1920928955078125e-7);
export const finfoMin = (dtype: DType): number => (dtype === 'float64' ? -Number.MAX_VALUE : -3.4028234663852886e38);

export const clamp_probs = (p: Tensor): Tensor => p.clamp(eps(p.dtype), 1 - eps(p.dtype));

/** log-odds of Bernoulli probabilities, or the log of categorical ones */
export function probs_to_logits(probs: Tensor, is_binary = false): Tensor {
  const p = clamp_probs(probs);
  return is_binary ? p.log().sub(p.neg().log1p()) : p.log();
}
export function logits_to_probs(logits: Tensor, is_binary = false): Tensor {
  return is_binary ? logits.sigmoid() : logits.softmax(-1);
}

/** sample_shape as PyTorch takes it: a tuple (array), a number, or nothing */
export function sizeOf(op: string, s: unknown): number[] {
  if (s === undefined || s === null) return [];
  if (typeof s === 'number') s = [s];
  if (s && typeof s === 'object' && !Array.isArray(s) && 'sample_shape' in s) return sizeOf(op, (s as { sample_shape: unknown }).sample_shape);
  if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && d >= 0)) throw new TypeError(`${op}: sample_shape must be a list of non-negative integers, got ${JSON.stringify(s)}`);
  return s as number[];
}

/** diagonal of the last two dims */
export const diagOf = (m: Tensor): Tensor => stack(Array.from({ length: m.shape[m.dim() - 1] }, (_, i) => m.select(-2, i).select(-1, i)), -1);

/**
 * The lower Cholesky factor of symmetric positive-definite matrices [..., n, n], column by column
 * with tensor ops (n is an event size: small). `check` makes a non-positive pivot PyTorch's error.
 */
export function cholesky(input: Tensor, check: (pivot: Tensor, j: number) => void = () => {}): Tensor {
  const n = input.shape[input.dim() - 1];
  const a = input.add(input.transpose(-1, -2)).div(2); // as PyTorch: the gradient is symmetric
  const cols: Tensor[] = [];
  for (let j = 0; j < n; j++) {
    let col = a.select(-1, j); // [..., n]
    if (j > 0) {
      const prev = stack(cols, -1); // [..., n, j]
      const rowJ = prev.select(-2, j); // [..., j]
      col = col.sub(prev.matmul(rowJ.unsqueeze(-1)).squeeze(-1));
    }
    const pivot = col.select(-1, j);
    check(pivot, j);
    const below = rowMask(a, n, j); // rows >= j
    cols.push(col.div(pivot.sqrt().unsqueeze(-1)).mul(below));
  }
  return stack(cols, -1);
}

/** a [n] mask of rows >= j in a's dtype and device */
function rowMask(a: Tensor, n: number, j: number): Tensor {
  return tensor(Array.from({ length: n }, (_, i) => (i >= j ? 1 : 0)), on(a));
}

/** Solves L z = b for lower-triangular L [..., n, n] and b [..., n] (forward substitution). */
export function solve_lower(L: Tensor, b: Tensor): Tensor {
  const n = L.shape[L.dim() - 1];
  const z: Tensor[] = [];
  for (let i = 0; i < n; i++) {
    let r = b.select(-1, i);
    if (i > 0) r = r.sub(L.select(-2, i).narrow(-1, 0, i).mul(stack(z, -1)).sum(-1));
    z.push(r.div(L.select(-2, i).select(-1, i)));
  }
  return stack(z, -1);
}

/** The inverse of lower-triangular L [..., n, n] (solving against each unit vector). */
export function inverse_lower(L: Tensor): Tensor {
  const n = L.shape[L.dim() - 1];
  const cols = Array.from({ length: n }, (_, j) => {
    const e = eye(n, on(L)).select(-1, j);
    return solve_lower(L, e.expand([...L.shape.slice(0, -1)]));
  });
  return stack(cols, -1);
}
