// torch.distributions.constraints: the sets a parameter or a sample must lie in. Each constraint
// answers check(value) with a bool tensor (per event when it is an event constraint) and prints
// as PyTorch prints it, so validation errors read the same.
import type { Tensor } from '../tensor.js';
import { eye, on } from '../creation.js';

export interface Constraint {
  /** bool tensor: true where value satisfies the constraint (reduced over event dims) */
  check(value: Tensor): Tensor;
  /** dimensions of one event that the constraint covers (0: elementwise) */
  readonly event_dim: number;
  readonly is_discrete: boolean;
  toString(): string;
}

const float = (v: number): string => (Number.isInteger(v) ? v.toFixed(1) : String(v));

function make(name: string, check: (v: Tensor) => Tensor, event_dim = 0, is_discrete = false): Constraint {
  return { check, event_dim, is_discrete, toString: () => name };
}

export const real = make('Real()', (v) => v.eq(v)); // false only for NaN
export const boolean = make('Boolean()', (v) => v.eq(0).logical_or(v.eq(1)), 0, true);
export const unit_interval = make('Interval(lower_bound=0.0, upper_bound=1.0)', (v) => v.ge(0).logical_and(v.le(1)));
export const positive = greater_than(0);
export const real_vector = independent(real, 1);

export function greater_than(lower_bound: number): Constraint {
  return make(`GreaterThan(lower_bound=${float(lower_bound)})`, (v) => v.gt(lower_bound));
}

/** the closed interval [lower, upper]; bounds may be tensors (Uniform's low and high) */
export function interval(lower: Tensor | number, upper: Tensor | number): Constraint {
  return make(`Interval(lower_bound=${bound(lower)}, upper_bound=${bound(upper)})`, (v) => v.ge(lower).logical_and(v.le(upper)));
}
export function integer_interval(lower: number, upper: number): Constraint {
  return make(`IntegerInterval(lower_bound=${lower}, upper_bound=${upper})`,
    (v) => v.remainder(1).eq(0).logical_and(v.ge(lower)).logical_and(v.le(upper)), 0, true);
}

/** Reinterprets `n` rightmost dims of a constraint as one event. */
export function independent(base: Constraint, n: number): Constraint {
  return make(`IndependentConstraint(${base}, ${n})`, (v) => {
    let r = base.check(v);
    for (let i = 0; i < n; i++) r = r.all(-1);
    return r;
  }, base.event_dim + n, base.is_discrete);
}

/** nonnegative vectors that sum to 1 along the last dim */
export const simplex = make('Simplex()', (v) => v.ge(0).all(-1).logical_and(v.sum(-1).sub(1).abs().lt(1e-6)), 1);

/** lower-triangular matrices with a positive diagonal */
export const lower_cholesky = make('LowerCholesky()', (v) => {
  const n = v.shape[v.dim() - 1];
  const lower = v.tril().eq(v).all(-1).all(-1);
  const diag = v.mul(eyeLike(v, n)).sum(-1);
  return lower.logical_and(diag.gt(0).all(-1));
}, 2);

/** symmetric matrices with positive leading minors (checked through the Cholesky diagonal) */
export function positive_definite(cholesky: (a: Tensor) => Tensor): Constraint {
  return make('PositiveDefinite()', (v) => {
    const sym = v.sub(v.transpose(-1, -2)).abs().le(1e-6).all(-1).all(-1);
    const n = v.shape[v.dim() - 1];
    const d = cholesky(v).mul(eyeLike(v, n)).sum(-1);
    return sym.logical_and(d.gt(0).all(-1));
  }, 2);
}

const eyeLike = (v: Tensor, n: number): Tensor => eye(n, on(v));

function bound(b: Tensor | number): string {
  if (typeof b === 'number') return float(b);
  return b.numel() === 1 ? float(Number(b.itemSync())) : `torch.Size([${b.shape.join(', ')}])`;
}
