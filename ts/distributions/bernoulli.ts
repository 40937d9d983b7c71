// torch.distributions.Bernoulli(probs=None, logits=None): 0/1 samples; log_prob and entropy go
// through binary_cross_entropy_with_logits as in PyTorch, so they are stable for extreme logits.
import type { Tensor } from '../tensor.js';
import { rand, on } from '../creation.js';
import { no_grad } from '../autograd/grad_mode.js';
import { parseArgs } from '../nn/functional/args.js';
import { binary_cross_entropy_with_logits } from '../nn/functional/loss.js';
import { Distribution } from './distribution.js';
import { boolean, real, unit_interval, type Constraint } from './constraints.js';
import { asTensor, broadcast_all, logits_to_probs, probs_to_logits, type Param } from './utils.js';

export class Bernoulli extends Distribution {
  private _probs: Tensor | null = null;
  private _logits: Tensor | null = null;
  override readonly has_enumerate_support = true;

  /** Bernoulli(probs=None, logits=None, validate_args=None): exactly one of probs and logits */
  constructor(...args: unknown[]) {
    const a = parseArgs<{ probs: Param | null; logits: Param | null; validate_args: boolean | null }>('Bernoulli', args, ['probs', 'logits', 'validate_args'], {});
    if ((a.probs == null) === (a.logits == null)) throw new TypeError('Either `probs` or `logits` must be specified, but not both.');
    const [p] = broadcast_all('Bernoulli', (a.probs ?? a.logits)!);
    super(p.shape, [], a.validate_args);
    if (a.probs != null) this._probs = p; else this._logits = p;
    this.validateParams();
  }

  get probs(): Tensor { return (this._probs ??= logits_to_probs(this._logits!, true)); }
  get logits(): Tensor { return (this._logits ??= probs_to_logits(this._probs!, true)); }
  get param_shape(): number[] { return [...this.batch_shape]; }

  get arg_constraints(): Record<string, Constraint> { return { probs: unit_interval, logits: real }; }
  get support(): Constraint { return boolean; }
  protected get _params(): Record<string, Tensor> { return this._probs ? { probs: this._probs } : { logits: this._logits! }; }

  override get mean(): Tensor { return this.probs; }
  override get mode(): Tensor { const p = this.probs; return p.ge(0.5).to(p.dtype).masked_fill(p.eq(0.5), Number.NaN); }
  override get variance(): Tensor { return this.probs.mul(this.probs.neg().add(1)); }

  override sample(sample_shape: number[] | number | { sample_shape?: number[] } = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    return no_grad(() => {
      const p = this.probs;
      return rand(shape, on(p)).lt(p.expand(shape)).to(p.dtype);
    });
  }
  log_prob(value: Tensor | number): Tensor {
    const v = asTensor(value, this.logits);
    this.validateSample(v);
    const [logits, val] = broadcast_all('Bernoulli.log_prob', this.logits, v);
    return binary_cross_entropy_with_logits(logits, val, { reduction: 'none' }).neg();
  }
  override entropy(): Tensor {
    return binary_cross_entropy_with_logits(this.logits, this.probs, { reduction: 'none' });
  }
  /** the values 0 and 1, shaped [2, ...batch_shape] (expand=true) or [2, 1, ...] */
  enumerate_support(expand = true): Tensor {
    const p = this.probs;
    const values = p.new_tensor([0, 1]).reshape([2, ...this.batch_shape.map(() => 1)]);
    return expand ? values.expand([2, ...this.batch_shape]) : values;
  }
}
