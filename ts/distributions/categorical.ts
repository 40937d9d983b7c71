// torch.distributions.Categorical(probs=None, logits=None): an index in [0, K) per batch entry,
// K the size of the last dim. Samples come from the inverse CDF of one uniform draw each.
import type { Tensor } from '../tensor.js';
import { rand, on } from '../creation.js';
import { no_grad } from '../autograd/grad_mode.js';
import { parseArgs } from '../nn/functional/args.js';
import { Distribution } from './distribution.js';
import { independent, integer_interval, real, simplex, type Constraint } from './constraints.js';
import { asTensor, broadcast_all, finfoMin, logits_to_probs, probs_to_logits, type Param } from './utils.js';

export class Categorical extends Distribution {
  private _probs: Tensor | null = null;
  private _logits: Tensor | null = null;
  /** the number of categories K */
  readonly _num_events: number;
  override readonly has_enumerate_support = true;

  /** Categorical(probs=None, logits=None, validate_args=None): exactly one of probs and logits */
  constructor(...args: unknown[]) {
    const a = parseArgs<{ probs: Param | null; logits: Param | null; validate_args: boolean | null }>('Categorical', args, ['probs', 'logits', 'validate_args'], {});
    if ((a.probs == null) === (a.logits == null)) throw new TypeError('Either `probs` or `logits` must be specified, but not both.');
    const [raw] = broadcast_all('Categorical', (a.probs ?? a.logits)!);
    const which = a.probs != null ? 'probs' : 'logits';
    if (raw.dim() < 1) throw new RangeError(`\`${which}\` parameter must be at least one-dimensional.`);
    super(raw.shape.slice(0, -1), [], a.validate_args);
    this._num_events = raw.shape[raw.dim() - 1];
    if (a.probs != null) this._probs = raw.div(raw.sum(-1, true));
    else this._logits = raw.sub(raw.logsumexp(-1, true));
    this.validateParams();
  }

  get probs(): Tensor { return (this._probs ??= logits_to_probs(this._logits!)); }
  get logits(): Tensor { return (this._logits ??= probs_to_logits(this._probs!)); }
  get param_shape(): number[] { return [...this.batch_shape, this._num_events]; }

  get arg_constraints(): Record<string, Constraint> { return { probs: simplex, logits: independent(real, 1) }; }
  get support(): Constraint { return integer_interval(0, this._num_events - 1); }
  protected get _params(): Record<string, Tensor> { return this._probs ? { probs: this._probs } : { logits: this._logits! }; }

  /** undefined for a categorical: NaN, as in PyTorch */
  override get mean(): Tensor { return this.probs.select(-1, 0).mul(Number.NaN); }
  override get variance(): Tensor { return this.mean; }
  override get mode(): Tensor { return this.probs.argmax(-1); }

  override sample(sample_shape: number[] | number | { sample_shape?: number[] } = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    return no_grad(() => {
      const cdf = this.probs.cumsum(-1); // [...batch, K]
      // u in (0, total]: a category of probability zero is never drawn, and rounding in the
      // cumulative sum cannot push the index past the last category with mass
      const total = cdf.narrow(-1, this._num_events - 1, 1);
      const u = rand([...shape, 1], on(cdf)).neg().add(1).mul(total);
      return cdf.lt(u).sum(-1).to('int32');
    });
  }
  log_prob(value: Tensor | number): Tensor {
    const v = asTensor(value, this.logits);
    this.validateSample(v);
    const [idx, logPmf] = broadcast_all('Categorical.log_prob', v.to(this.logits.dtype).unsqueeze(-1), this.logits);
    return logPmf.gather(-1, idx.narrow(-1, 0, 1).to('int32')).squeeze(-1);
  }
  override entropy(): Tensor {
    const logits = this.logits.clamp(finfoMin(this.logits.dtype));
    return logits.mul(this.probs).sum(-1).neg();
  }
  /** the categories 0..K-1, shaped [K, ...batch_shape] (expand=true) or [K, 1, ...] */
  enumerate_support(expand = true): Tensor {
    const values = this.logits.new_tensor(Array.from({ length: this._num_events }, (_, i) => i), { dtype: 'int32' })
      .reshape([this._num_events, ...this.batch_shape.map(() => 1)]);
    return expand ? values.expand([this._num_events, ...this.batch_shape]) : values;
  }
}
