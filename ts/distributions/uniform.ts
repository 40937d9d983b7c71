// torch.distributions.Uniform(low, high): the half-open interval [low, high), reparameterized.
import type { Tensor } from '../tensor.js';
import { rand, on } from '../creation.js';
import { parseArgs } from '../nn/functional/args.js';
import { backendFor } from '../backend/dispatch.js';
import { Distribution } from './distribution.js';
import { real, interval, type Constraint } from './constraints.js';
import { asTensor, broadcast_all, type Param } from './utils.js';

export class Uniform extends Distribution {
  readonly low: Tensor;
  readonly high: Tensor;
  override readonly has_rsample = true;

  /** Uniform(low, high, validate_args=None), positionally or by name */
  constructor(...args: unknown[]) {
    const a = parseArgs<{ low: Param; high: Param; validate_args: boolean | null }>('Uniform', args, ['low', 'high', 'validate_args'], {});
    const [low, high] = broadcast_all('Uniform', a.low, a.high);
    super(low.shape, [], a.validate_args);
    this.low = low;
    this.high = high;
    if (this._validate_args && readableAll(low, high) && !low.lt(high).all().itemSync()) throw new RangeError('Uniform is not defined when low>= high');
  }

  // low and high are checked against each other in the constructor (PyTorch's dependent constraints)
  get arg_constraints(): Record<string, Constraint> { return { low: real, high: real }; }
  get support(): Constraint { return interval(this.low, this.high); }
  protected get _params(): Record<string, Tensor> { return { low: this.low, high: this.high }; }

  override get mean(): Tensor { return this.high.add(this.low).div(2); }
  override get mode(): Tensor { return this.high.mul(Number.NaN); }
  override get stddev(): Tensor { return this.high.sub(this.low).div(Math.sqrt(12)); }
  override get variance(): Tensor { return this.high.sub(this.low).pow(2).div(12); }

  override rsample(sample_shape: number[] | number | { sample_shape?: number[] } = []): Tensor {
    const u = rand(this._extended_shape(sample_shape), on(this.low));
    return this.low.add(u.mul(this.high.sub(this.low)));
  }
  log_prob(value: Tensor | number): Tensor {
    const v = asTensor(value, this.low);
    this.validateSample(v);
    const lb = this.low.le(v).to(this.low.dtype), ub = this.high.gt(v).to(this.low.dtype);
    return lb.mul(ub).log().sub(this.high.sub(this.low).log());
  }
  override cdf(value: Tensor | number): Tensor {
    const v = asTensor(value, this.low);
    this.validateSample(v);
    return v.sub(this.low).div(this.high.sub(this.low)).clamp(0, 1);
  }
  override icdf(value: Tensor | number): Tensor {
    return asTensor(value, this.low).mul(this.high.sub(this.low)).add(this.low);
  }
  override entropy(): Tensor { return this.high.sub(this.low).log(); }
}

const readableAll = (...ts: Tensor[]): boolean => backendFor('Uniform', ts).syncReads;
