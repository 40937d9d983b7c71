// torch.distributions.Normal(loc, scale): reparameterized, so gradients flow through rsample().
import type { Tensor } from '../tensor.js';
import { randn, on } from '../creation.js';
import { no_grad } from '../autograd/grad_mode.js';
import { parseArgs } from '../nn/functional/args.js';
import { Distribution } from './distribution.js';
import { real, positive, type Constraint } from './constraints.js';
import { asTensor, broadcast_all, type Param } from './utils.js';

const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));

export class Normal extends Distribution {
  readonly loc: Tensor;
  readonly scale: Tensor;
  override readonly has_rsample = true;

  /** Normal(loc, scale, validate_args=None), positionally or by name */
  constructor(...args: unknown[]) {
    const a = parseArgs<{ loc: Param; scale: Param; validate_args: boolean | null }>('Normal', args, ['loc', 'scale', 'validate_args'], {});
    const [loc, scale] = broadcast_all('Normal', a.loc, a.scale);
    super(loc.shape, [], a.validate_args);
    this.loc = loc;
    this.scale = scale;
    this.validateParams();
  }

  get arg_constraints(): Record<string, Constraint> { return { loc: real, scale: positive }; }
  get support(): Constraint { return real; }
  protected get _params(): Record<string, Tensor> { return { loc: this.loc, scale: this.scale }; }

  override get mean(): Tensor { return this.loc; }
  override get mode(): Tensor { return this.loc; }
  override get stddev(): Tensor { return this.scale; }
  override get variance(): Tensor { return this.scale.pow(2); }

  override sample(sample_shape: number[] | number | { sample_shape?: number[] } = []): Tensor {
    return no_grad(() => this.rsample(sample_shape));
  }
  override rsample(sample_shape: number[] | number | { sample_shape?: number[] } = []): Tensor {
    const eps = randn(this._extended_shape(sample_shape), on(this.loc));
    return this.loc.add(eps.mul(this.scale));
  }
  log_prob(value: Tensor | number): Tensor {
    const v = this.asValue(value);
    this.validateSample(v);
    return v.sub(this.loc).pow(2).div(this.variance.mul(2)).neg().sub(this.scale.log()).sub(LOG_SQRT_2PI);
  }
  override cdf(value: Tensor | number): Tensor {
    const v = this.asValue(value);
    this.validateSample(v);
    return v.sub(this.loc).mul(this.scale.reciprocal()).div(Math.SQRT2).erf().add(1).mul(0.5);
  }
  override entropy(): Tensor { return this.scale.log().add(0.5 + LOG_SQRT_2PI); }

  private asValue(value: Tensor | number): Tensor { return asTensor(value, this.loc); }
}
