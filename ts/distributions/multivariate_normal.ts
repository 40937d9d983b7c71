// torch.distributions.MultivariateNormal(loc, covariance_matrix=None, precision_matrix=None,
// scale_tril=None): everything goes through the lower Cholesky factor L (cov = L L^T), so
// rsample is loc + L eps and log_prob needs one triangular solve.
import type { Tensor } from '../tensor.js';
import { randn, on } from '../creation.js';
import { parseArgs } from '../nn/functional/args.js';
import { backendFor } from '../backend/dispatch.js';
import { Distribution, batchOf } from './distribution.js';
import { independent, lower_cholesky, positive_definite, real, real_vector, type Constraint } from './constraints.js';
import { asTensor, cholesky, diagOf, inverse_lower, solve_lower, type Param } from './utils.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Cholesky factor with PyTorch's error for a matrix that is not positive-definite (where values can be read). */
function choleskyChecked(a: Tensor): Tensor {
  const readable = backendFor('linalg.cholesky', [a]).syncReads;
  return cholesky(a, (pivot, j) => {
    if (readable && !pivot.gt(0).all().itemSync()) {
      throw new RangeError(`linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order ${j + 1} is not positive-definite).`);
    }
  });
}

type MatrixKind = 'covariance_matrix' | 'precision_matrix' | 'scale_tril';

export class MultivariateNormal extends Distribution {
  readonly loc: Tensor;
  readonly _unbroadcasted_scale_tril: Tensor;
  private readonly given: MatrixKind;
  private readonly matrix: Tensor;
  override readonly has_rsample = true;

  constructor(...args: unknown[]) {
    const a = parseArgs<{ loc: Param; covariance_matrix: Tensor | null; precision_matrix: Tensor | null; scale_tril: Tensor | null; validate_args: boolean | null }>(
      'MultivariateNormal', args, ['loc', 'covariance_matrix', 'precision_matrix', 'scale_tril', 'validate_args'], {});
    const loc = a.loc as Tensor;
    if (typeof loc !== 'object' || loc.dim() < 1) throw new RangeError('loc must be at least one-dimensional.');
    const given = (['covariance_matrix', 'precision_matrix', 'scale_tril'] as const).filter((k) => a[k] != null);
    if (given.length !== 1) throw new TypeError('Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.');
    const kind = given[0], m = a[kind]!;
    if (m.dim() < 2) {
      const what = kind === 'scale_tril' ? 'scale_tril matrix' : kind === 'covariance_matrix' ? 'covariance_matrix' : 'precision_matrix';
      throw new RangeError(`${what} must be at least two-dimensional, with optional leading batch dimensions`);
    }
    const n = loc.shape[loc.dim() - 1];
    if (m.shape[m.dim() - 1] !== n || m.shape[m.dim() - 2] !== n) {
      throw new RangeError(`MultivariateNormal: ${kind} of shape [${m.shape.join(', ')}] does not match loc of shape [${loc.shape.join(', ')}] (expected [..., ${n}, ${n}])`);
    }
    const batch = batchOf(m.shape.slice(0, -2), loc.shape.slice(0, -1));
    super(batch, [n], a.validate_args);
    this.loc = loc.expand([...batch, n]);
    this.given = kind;
    this.matrix = m.expand([...batch, n, n]);
    this.validateParams();
    this._unbroadcasted_scale_tril = kind === 'scale_tril' ? m
      : kind === 'covariance_matrix' ? choleskyChecked(m)
        : precisionToScaleTril(m);
  }

  get arg_constraints(): Record<string, Constraint> {
    const pd = positive_definite((x) => cholesky(x));
    return { loc: real_vector, covariance_matrix: pd, precision_matrix: pd, scale_tril: lower_cholesky };
  }
  get support(): Constraint { return independent(real, 1); }
  protected get _params(): Record<string, Tensor> { return { loc: this.loc, [this.given]: this.matrix }; }

  get scale_tril(): Tensor { return this.given === 'scale_tril' ? this.matrix : this._unbroadcasted_scale_tril.expand([...this.batch_shape, ...this.event_shape, ...this.event_shape]); }
  get covariance_matrix(): Tensor {
    if (this.given === 'covariance_matrix') return this.matrix;
    const L = this._unbroadcasted_scale_tril;
    return L.matmul(L.transpose(-1, -2)).expand([...this.batch_shape, ...this.event_shape, ...this.event_shape]);
  }
  get precision_matrix(): Tensor {
    if (this.given === 'precision_matrix') return this.matrix;
    const Li = inverse_lower(this._unbroadcasted_scale_tril);
    return Li.transpose(-1, -2).matmul(Li).expand([...this.batch_shape, ...this.event_shape, ...this.event_shape]);
  }

  override get mean(): Tensor { return this.loc; }
  override get mode(): Tensor { return this.loc; }
  override get variance(): Tensor {
    return this._unbroadcasted_scale_tril.pow(2).sum(-1).expand([...this.batch_shape, ...this.event_shape]);
  }

  override rsample(sample_shape: number[] | number | { sample_shape?: number[] } = []): Tensor {
    const eps = randn(this._extended_shape(sample_shape), on(this.loc));
    return this.loc.add(this._unbroadcasted_scale_tril.matmul(eps.unsqueeze(-1)).squeeze(-1));
  }
  log_prob(value: Tensor | number): Tensor {
    const v = asTensor(value, this.loc);
    this.validateSample(v);
    const diff = v.sub(this.loc);
    const L = this._unbroadcasted_scale_tril;
    const M = solve_lower(L, diff).pow(2).sum(-1); // squared Mahalanobis distance
    const halfLogDet = diagOf(L).log().sum(-1);
    return M.add(this.event_shape[0] * LOG_2PI).mul(-0.5).sub(halfLogDet);
  }
  override entropy(): Tensor {
    const halfLogDet = diagOf(this._unbroadcasted_scale_tril).log().sum(-1);
    const H = halfLogDet.add(0.5 * this.event_shape[0] * (1 + LOG_2PI));
    return this.batch_shape.length ? H.expand(this.batch_shape) : H;
  }
}

/** L with L L^T = P^-1: P = C C^T gives P^-1 = C^-T C^-1, whose Cholesky factor is taken directly. */
function precisionToScaleTril(P: Tensor): Tensor {
  const Ci = inverse_lower(choleskyChecked(P));
  return choleskyChecked(Ci.transpose(-1, -2).matmul(Ci));
}
