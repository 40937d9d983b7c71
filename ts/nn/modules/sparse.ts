// nn.Embedding
import { Tensor } from '../../tensor.js';
import { empty } from '../../creation.js';
import { no_grad } from '../../autograd/grad_mode.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import * as init from '../init.js';
import * as F from '../functional/index.js';
import { dtypeOf, type FactoryOpts } from './linear.js';
import { parseArgs, required } from '../functional/args.js';

export interface EmbeddingOpts extends FactoryOpts { padding_idx?: number | null; max_norm?: number | null; norm_type?: number; scale_grad_by_freq?: boolean; sparse?: boolean; _weight?: Tensor }

/** nn.Embedding(num_embeddings, embedding_dim, { padding_idx }) */
export class Embedding extends Module {
  declare weight: Parameter;
  num_embeddings: number;
  embedding_dim: number;
  padding_idx: number | null;
  max_norm: number | null;
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<EmbeddingOpts & { num_embeddings: number; embedding_dim: number }>('Embedding', args,
      ['num_embeddings',  'embedding_dim',  'padding_idx',  'max_norm',  'norm_type',  'scale_grad_by_freq',  'sparse',  '_weight',  'device',  'dtype'], {});
    required('Embedding', o, ['num_embeddings', 'embedding_dim']);
    const { num_embeddings, embedding_dim } = o;
    this.num_embeddings = num_embeddings;
    this.embedding_dim = embedding_dim;
    let p = o.padding_idx ?? null;
    if (p !== null) {
      if (p >= num_embeddings || p < -num_embeddings) throw new RangeError('Padding_idx must be within num_embeddings');
      if (p < 0) p += num_embeddings;
    }
    this.padding_idx = p;
    this.max_norm = o.max_norm ?? null;
    if (o._weight) {
      if (o._weight.shape[0] !== num_embeddings || o._weight.shape[1] !== embedding_dim) throw new RangeError('Shape of weight does not match num_embeddings and embedding_dim');
      this.weight = new Parameter(o._weight);
    } else {
      this.weight = new Parameter(empty([num_embeddings, embedding_dim], { dtype: dtypeOf(o) }));
      this.reset_parameters();
    }
  }
  reset_parameters(): void {
    init.normal_(this.weight);
    if (this.padding_idx !== null) no_grad(() => this.weight.select(0, this.padding_idx!).fill_(0));
  }
  override forward(x: Tensor): Tensor { return F.embedding(x, this.weight, this.padding_idx, this.max_norm); }
  override extra_repr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`;
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`;
    if (this.max_norm !== null) s += `, max_norm=${this.max_norm}`;
    return s;
  }
  static from_pretrained(embeddings: Tensor, o: { freeze?: boolean; padding_idx?: number | null } = {}): Embedding {
    const e = new Embedding(embeddings.shape[0], embeddings.shape[1], { _weight: embeddings.detach().clone(), padding_idx: o.padding_idx });
    e.weight.requires_grad_(!(o.freeze ?? true));
    return e;
  }
}
