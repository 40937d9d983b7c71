// torch.distributions.Distribution: shapes (sample_shape + batch_shape + event_shape), argument
// and sample validation with PyTorch's messages, and the sample/rsample split (sample is rsample
// without the graph where a reparameterized sample exists).
import { Tensor } from '../tensor.js';
import { no_grad } from '../autograd/grad_mode.js';
import { backendFor } from '../backend/dispatch.js';
import { broadcastShapes } from '../shape.js';
import type { Constraint } from './constraints.js';
import { sizeOf } from './utils.js';

let validateByDefault = true;

export abstract class Distribution {
  /** PyTorch's Distribution.set_default_validate_args: validation is on unless turned off. */
  static set_default_validate_args(value: boolean): void { validateByDefault = !!value; }

  readonly batch_shape: number[];
  readonly event_shape: number[];
  protected readonly _validate_args: boolean;
  /** true where rsample() gives a sample that gradients flow through */
  readonly has_rsample: boolean = false;
  readonly has_enumerate_support: boolean = false;

  constructor(batch_shape: readonly number[] = [], event_shape: readonly number[] = [], validate_args?: boolean | null) {
    this.batch_shape = [...batch_shape];
    this.event_shape = [...event_shape];
    this._validate_args = validate_args ?? validateByDefault;
  }

  /** The constraint each parameter must satisfy (checked by validateParams). */
  abstract get arg_constraints(): Record<string, Constraint>;
  /** The set samples lie in (checked by log_prob when validating). */
  abstract get support(): Constraint;
  /** The parameters shown by toString(), in order. */
  protected abstract get _params(): Record<string, Tensor>;

  get mean(): Tensor { throw new Error(`${this.constructor.name} has no mean`); }
  get mode(): Tensor { throw new Error(`${this.constructor.name} has no mode`); }
  get variance(): Tensor { throw new Error(`${this.constructor.name} has no variance`); }
  get stddev(): Tensor { return this.variance.sqrt(); }

  /** A sample (no graph) of shape sample_shape + batch_shape + event_shape. */
  sample(sample_shape: number[] | number | { sample_shape?: number[] } = []): Tensor {
    if (!this.has_rsample) throw new Error(`${this.constructor.name} must implement sample()`);
    return no_grad(() => this.rsample(sample_shape));
  }
  /** A reparameterized sample: gradients flow to the parameters. */
  rsample(_sample_shape: number[] | number | { sample_shape?: number[] } = []): Tensor {
    throw new Error(`${this.constructor.name} has no reparameterized sample (has_rsample is false): use sample()`);
  }
  sample_n(n: number): Tensor { return this.sample([n]); }
  abstract log_prob(value: Tensor | number): Tensor;
  cdf(_value: Tensor | number): Tensor { throw new Error(`${this.constructor.name} has no cdf`); }
  icdf(_value: Tensor | number): Tensor { throw new Error(`${this.constructor.name} has no icdf`); }
  entropy(): Tensor { throw new Error(`${this.constructor.name} has no entropy`); }
  perplexity(): Tensor { return this.entropy().exp(); }

  /** sample_shape + batch_shape + event_shape */
  protected _extended_shape(sample_shape: unknown = []): number[] {
    return [...sizeOf(`${this.constructor.name}.sample`, sample_shape), ...this.batch_shape, ...this.event_shape];
  }

  /** Checks every parameter against its constraint (PyTorch does this in Distribution.__init__). */
  protected validateParams(): void {
    if (!this._validate_args) return;
    const params = this._params;
    for (const [name, constraint] of Object.entries(this.arg_constraints)) {
      const value = params[name];
      if (!value || !readable(value)) continue;
      if (!constraint.check(value).all().itemSync()) {
        throw new RangeError(`Expected parameter ${name} (Tensor of shape (${tuple(value.shape)})) of distribution ${this} ` +
          `to satisfy the constraint ${constraint}, but found invalid values:\n${value}`);
      }
    }
  }

  /** PyTorch's _validate_sample: event shape, broadcastability and support. */
  protected validateSample(value: Tensor): void {
    if (!this._validate_args) return;
    const ev = this.event_shape.length, vs = value.shape;
    if (vs.length < ev || !this.event_shape.every((d, i) => vs[vs.length - ev + i] === d)) {
      throw new RangeError(`The right-most size of value must match event_shape: ${size(vs)} vs ${size(this.event_shape)}.`);
    }
    const actual = vs.slice(0, vs.length - ev), expected = this.batch_shape;
    for (let i = 1; i <= Math.min(actual.length, expected.length); i++) {
      const a = actual[actual.length - i], e = expected[expected.length - i];
      if (a !== 1 && e !== 1 && a !== e) {
        throw new RangeError(`Value is not broadcastable with batch_shape+event_shape: ${size(vs)} vs ${size([...this.batch_shape, ...this.event_shape])}.`);
      }
    }
    if (readable(value) && !this.support.check(value).all().itemSync()) {
      throw new RangeError(`Expected value argument (Tensor of shape (${tuple(vs)})) to be within the support (${this.support}) ` +
        `of the distribution ${this}, but found invalid values:\n${value}`);
    }
  }

  toString(): string {
    const args = Object.entries(this._params).map(([k, v]) => `${k}: ${v.numel() === 1 && readable(v) ? pyFloat(Number(v.itemSync())) : `torch.Size([${v.shape.join(', ')}])`}`);
    return `${this.constructor.name}(${args.join(', ')})`;
  }
}

/** Validation reads values; devices without synchronous reads (webgpu) skip it (README). */
const readable = (t: Tensor): boolean => backendFor('distributions', [t]).syncReads;
const tuple = (s: readonly number[]): string => (s.length === 1 ? `${s[0]},` : s.join(', '));
const pyFloat = (v: number): string => (Number.isInteger(v) ? v.toFixed(1) : String(v));

/** shapes of batch dims after broadcasting */
export const batchOf = (...shapes: number[][]): number[] => broadcastShapes('distributions', ...shapes);
const size = (s: readonly number[]): string => `torch.Size([${s.join(', ')}])`;
