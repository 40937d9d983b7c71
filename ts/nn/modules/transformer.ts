// nn.TransformerEncoderLayer / TransformerEncoder / TransformerDecoderLayer / TransformerDecoder /
// Transformer, as PyTorch 2.x builds them (post-norm or norm_first, relu/gelu/callable activation)
// from MultiheadAttention, Linear, Dropout and LayerNorm: submodule names and registration order
// match PyTorch's, so state_dicts move both ways. The stacks deep-copy their layer as PyTorch's
// _get_clones does (layers.0, layers.1, ... with independent parameters).
import { Tensor } from '../../tensor.js';
import { full } from '../../creation.js';
import { triu } from '../../ops/indexing.js';
import type { DTypeLike } from '../../dtype.js';
import { Module, deepcopy } from '../module.js';
import * as init from '../init.js';
import * as F from '../functional/index.js';
import { parseArgs } from '../functional/args.js';
import { Linear } from './linear.js';
import type { FactoryOpts } from './linear.js';
import { LayerNorm } from './normalization.js';
import { Dropout } from './activation.js';
import { ModuleList } from './containers.js';
import { MultiheadAttention } from './attention.js';

export type Activation = 'relu' | 'gelu' | ((x: Tensor) => Tensor) | Module;

/** parseArgs, where a module in the last place is a positional argument (a norm, an activation), not the options. */
function bind<T extends object>(op: string, args: unknown[], names: (keyof T & string)[], defaults: Partial<T>): T {
  return parseArgs<T>(op, args[args.length - 1] instanceof Module ? [...args, {}] : args, names, defaults);
}

function activationOf(a: Activation): Activation {
  if (typeof a !== 'string') return a;
  if (a === 'relu') return F.relu;
  if (a === 'gelu') return F.gelu;
  throw new Error(`activation should be relu/gelu, not ${a}`);
}
const activate = (a: Activation, x: Tensor): Tensor => (a instanceof Module ? a.call(x) : (a as (x: Tensor) => Tensor)(x));

interface LayerOpts extends FactoryOpts {
  d_model: number; nhead: number; dim_feedforward: number; dropout: number; activation: Activation;
  layer_norm_eps: number; batch_first: boolean; norm_first: boolean;
}
const LAYER_ARGS: (keyof LayerOpts)[] = ['d_model', 'nhead', 'dim_feedforward', 'dropout', 'activation', 'layer_norm_eps', 'batch_first', 'norm_first', 'device', 'dtype'];
const LAYER_DEFAULTS: Partial<LayerOpts> = { dim_feedforward: 2048, dropout: 0.1, activation: 'relu', layer_norm_eps: 1e-5, batch_first: false, norm_first: false };

/** The masks of one attention block, as the layers pass them on. */
interface Masks { attn_mask: Tensor | null; key_padding_mask: Tensor | null; is_causal: boolean }
function attend(m: MultiheadAttention, x: Tensor, mem: Tensor, k: Masks): Tensor {
  return m.forward(x, mem, mem, { attn_mask: k.attn_mask, key_padding_mask: k.key_padding_mask, need_weights: false, is_causal: k.is_causal })[0];
}

/**
 * nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation='relu',
 * layer_norm_eps=1e-5, batch_first=false, norm_first=false); forward(src, src_mask=null,
 * src_key_padding_mask=null, is_causal=false).
 */
export class TransformerEncoderLayer extends Module {
  declare self_attn: MultiheadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  norm_first: boolean;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  activation: Activation;
  constructor(...args: unknown[]) {
    super();
    const o = bind<LayerOpts>('TransformerEncoderLayer', args, LAYER_ARGS, LAYER_DEFAULTS);
    const f = { dtype: o.dtype };
    this.self_attn = new MultiheadAttention(o.d_model, o.nhead, { dropout: o.dropout, batch_first: o.batch_first, ...f });
    this.linear1 = new Linear(o.d_model, o.dim_feedforward, f);
    this.dropout = new Dropout(o.dropout);
    this.linear2 = new Linear(o.dim_feedforward, o.d_model, f);
    this.norm_first = o.norm_first;
    this.norm1 = new LayerNorm(o.d_model, { eps: o.layer_norm_eps, ...f });
    this.norm2 = new LayerNorm(o.d_model, { eps: o.layer_norm_eps, ...f });
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
    this.activation = activationOf(o.activation);
  }
  override forward(src: Tensor, ...rest: unknown[]): Tensor {
    const a = parseArgs<{ src_mask: Tensor | null; src_key_padding_mask: Tensor | null; is_causal: boolean }>('TransformerEncoderLayer.forward', rest,
      ['src_mask', 'src_key_padding_mask', 'is_causal'], { src_mask: null, src_key_padding_mask: null, is_causal: false });
    const k: Masks = { attn_mask: a.src_mask, key_padding_mask: a.src_key_padding_mask, is_causal: a.is_causal };
    const sa = (x: Tensor) => this.dropout1.call(attend(this.self_attn, x, x, k));
    const ff = (x: Tensor) => this.dropout2.call(this.linear2.call(this.dropout.call(activate(this.activation, this.linear1.call(x)))));
    let x = src;
    if (this.norm_first) {
      x = x.add(sa(this.norm1.call(x)));
      return x.add(ff(this.norm2.call(x)));
    }
    x = this.norm1.call(x.add(sa(x)));
    return this.norm2.call(x.add(ff(x)));
  }
}

/**
 * nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation='relu',
 * layer_norm_eps=1e-5, batch_first=false, norm_first=false); forward(tgt, memory, tgt_mask=null,
 * memory_mask=null, tgt_key_padding_mask=null, memory_key_padding_mask=null, tgt_is_causal=false,
 * memory_is_causal=false).
 */
export class TransformerDecoderLayer extends Module {
  declare self_attn: MultiheadAttention;
  declare multihead_attn: MultiheadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  norm_first: boolean;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare norm3: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  declare dropout3: Dropout;
  activation: Activation;
  constructor(...args: unknown[]) {
    super();
    const o = bind<LayerOpts>('TransformerDecoderLayer', args, LAYER_ARGS, LAYER_DEFAULTS);
    const f = { dtype: o.dtype };
    this.self_attn = new MultiheadAttention(o.d_model, o.nhead, { dropout: o.dropout, batch_first: o.batch_first, ...f });
    this.multihead_attn = new MultiheadAttention(o.d_model, o.nhead, { dropout: o.dropout, batch_first: o.batch_first, ...f });
    this.linear1 = new Linear(o.d_model, o.dim_feedforward, f);
    this.dropout = new Dropout(o.dropout);
    this.linear2 = new Linear(o.dim_feedforward, o.d_model, f);
    this.norm_first = o.norm_first;
    this.norm1 = new LayerNorm(o.d_model, { eps: o.layer_norm_eps, ...f });
    this.norm2 = new LayerNorm(o.d_model, { eps: o.layer_norm_eps, ...f });
    this.norm3 = new LayerNorm(o.d_model, { eps: o.layer_norm_eps, ...f });
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
    this.dropout3 = new Dropout(o.dropout);
    this.activation = activationOf(o.activation);
  }
  override forward(tgt: Tensor, memory: Tensor, ...rest: unknown[]): Tensor {
    const a = parseArgs<DecoderArgs>('TransformerDecoderLayer.forward', rest, DECODER_ARGS, DECODER_DEFAULTS);
    const self: Masks = { attn_mask: a.tgt_mask, key_padding_mask: a.tgt_key_padding_mask, is_causal: a.tgt_is_causal ?? false };
    const cross: Masks = { attn_mask: a.memory_mask, key_padding_mask: a.memory_key_padding_mask, is_causal: a.memory_is_causal };
    const sa = (x: Tensor) => this.dropout1.call(attend(this.self_attn, x, x, self));
    const mha = (x: Tensor) => this.dropout2.call(attend(this.multihead_attn, x, memory, cross));
    const ff = (x: Tensor) => this.dropout3.call(this.linear2.call(this.dropout.call(activate(this.activation, this.linear1.call(x)))));
    let x = tgt;
    if (this.norm_first) {
      x = x.add(sa(this.norm1.call(x)));
      x = x.add(mha(this.norm2.call(x)));
      return x.add(ff(this.norm3.call(x)));
    }
    x = this.norm1.call(x.add(sa(x)));
    x = this.norm2.call(x.add(mha(x)));
    return this.norm3.call(x.add(ff(x)));
  }
}

interface DecoderArgs {
  tgt_mask: Tensor | null; memory_mask: Tensor | null; tgt_key_padding_mask: Tensor | null; memory_key_padding_mask: Tensor | null;
  tgt_is_causal: boolean | null; memory_is_causal: boolean;
}
const DECODER_ARGS: (keyof DecoderArgs)[] = ['tgt_mask', 'memory_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask', 'tgt_is_causal', 'memory_is_causal'];
const DECODER_DEFAULTS: Partial<DecoderArgs> = { tgt_mask: null, memory_mask: null, tgt_key_padding_mask: null, memory_key_padding_mask: null, tgt_is_causal: null, memory_is_causal: false };

interface StackOpts { num_layers: number; norm: Module | null; enable_nested_tensor: boolean; mask_check: boolean }

/** PyTorch's _get_clones: num_layers deep copies of `layer` in a ModuleList. */
function clones(op: string, layer: unknown, n: number): ModuleList {
  if (!(layer instanceof Module)) throw new TypeError(`${op}: the layer to stack must be a Module, got ${typeof layer}`);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${op}: num_layers must be a non-negative integer, got ${n}`);
  return new ModuleList(Array.from({ length: n }, () => deepcopy(layer)));
}

/** nn.TransformerEncoder(encoder_layer, num_layers, norm=null); forward(src, mask=null, src_key_padding_mask=null, is_causal=null). */
export class TransformerEncoder extends Module {
  declare layers: ModuleList;
  num_layers: number;
  declare norm: Module | null;
  constructor(encoder_layer: TransformerEncoderLayer | Record<string, unknown>, ...args: unknown[]) {
    super();
    const o = bind<StackOpts & { encoder_layer: Module }>('TransformerEncoder', [encoder_layer, ...args],
      ['encoder_layer', 'num_layers', 'norm', 'enable_nested_tensor', 'mask_check'], { norm: null });
    this.layers = clones('TransformerEncoder', o.encoder_layer, o.num_layers);
    this.num_layers = o.num_layers;
    if (o.norm) this.norm = o.norm; else this.register_module('norm', null);
  }
  override forward(src: Tensor, ...rest: unknown[]): Tensor {
    const a = parseArgs<{ mask: Tensor | null; src_key_padding_mask: Tensor | null; is_causal: boolean | null }>('TransformerEncoder.forward', rest,
      ['mask', 'src_key_padding_mask', 'is_causal'], { mask: null, src_key_padding_mask: null, is_causal: null });
    let x = src;
    for (const layer of this.layers) x = (layer as TransformerEncoderLayer).call(x, { src_mask: a.mask, src_key_padding_mask: a.src_key_padding_mask, is_causal: a.is_causal ?? false });
    return this.norm ? this.norm.call(x) : x;
  }
}

/** nn.TransformerDecoder(decoder_layer, num_layers, norm=null); forward(tgt, memory, tgt_mask=null, memory_mask=null, ...). */
export class TransformerDecoder extends Module {
  declare layers: ModuleList;
  num_layers: number;
  declare norm: Module | null;
  constructor(decoder_layer: TransformerDecoderLayer | Record<string, unknown>, ...args: unknown[]) {
    super();
    const o = bind<StackOpts & { decoder_layer: Module }>('TransformerDecoder', [decoder_layer, ...args],
      ['decoder_layer', 'num_layers', 'norm'], { norm: null });
    this.layers = clones('TransformerDecoder', o.decoder_layer, o.num_layers);
    this.num_layers = o.num_layers;
    if (o.norm) this.norm = o.norm; else this.register_module('norm', null);
  }
  override forward(tgt: Tensor, memory: Tensor, ...rest: unknown[]): Tensor {
    const a = parseArgs<DecoderArgs>('TransformerDecoder.forward', rest, DECODER_ARGS, DECODER_DEFAULTS);
    let x = tgt;
    for (const layer of this.layers) x = (layer as TransformerDecoderLayer).call(x, memory, a);
    return this.norm ? this.norm.call(x) : x;
  }
}

interface TransformerOpts extends FactoryOpts {
  d_model: number; nhead: number; num_encoder_layers: number; num_decoder_layers: number; dim_feedforward: number; dropout: number;
  activation: Activation; custom_encoder: Module | null; custom_decoder: Module | null; layer_norm_eps: number; batch_first: boolean; norm_first: boolean;
}
const TRANSFORMER_ARGS: (keyof TransformerOpts)[] = ['d_model', 'nhead', 'num_encoder_layers', 'num_decoder_layers', 'dim_feedforward', 'dropout',
  'activation', 'custom_encoder', 'custom_decoder', 'layer_norm_eps', 'batch_first', 'norm_first', 'device', 'dtype'];

interface TransformerForward extends DecoderArgs { src_mask: Tensor | null; src_key_padding_mask: Tensor | null; src_is_causal: boolean | null }
const TRANSFORMER_FORWARD: (keyof TransformerForward)[] = ['src_mask', 'tgt_mask', 'memory_mask', 'src_key_padding_mask', 'tgt_key_padding_mask',
  'memory_key_padding_mask', 'src_is_causal', 'tgt_is_causal', 'memory_is_causal'];

/**
 * nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
 * dropout=0.1, activation='relu', custom_encoder=null, custom_decoder=null, layer_norm_eps=1e-5,
 * batch_first=false, norm_first=false); forward(src, tgt, src_mask=null, tgt_mask=null, memory_mask=null,
 * src_key_padding_mask=null, tgt_key_padding_mask=null, memory_key_padding_mask=null, ...).
 */
export class Transformer extends Module {
  declare encoder: Module;
  declare decoder: Module;
  d_model: number;
  nhead: number;
  batch_first: boolean;
  constructor(...args: unknown[]) {
    super();
    const o = bind<TransformerOpts>('Transformer', args, TRANSFORMER_ARGS, {
      d_model: 512, nhead: 8, num_encoder_layers: 6, num_decoder_layers: 6, dim_feedforward: 2048, dropout: 0.1, activation: 'relu',
      custom_encoder: null, custom_decoder: null, layer_norm_eps: 1e-5, batch_first: false, norm_first: false,
    });
    const layer = [o.d_model, o.nhead, { dim_feedforward: o.dim_feedforward, dropout: o.dropout, activation: o.activation,
      layer_norm_eps: o.layer_norm_eps, batch_first: o.batch_first, norm_first: o.norm_first, dtype: o.dtype }];
    const norm = () => new LayerNorm(o.d_model, { eps: o.layer_norm_eps, dtype: o.dtype });
    this.encoder = o.custom_encoder ?? new TransformerEncoder(new TransformerEncoderLayer(...layer), o.num_encoder_layers, norm());
    this.decoder = o.custom_decoder ?? new TransformerDecoder(new TransformerDecoderLayer(...layer), o.num_decoder_layers, norm());
    this._reset_parameters();
    this.d_model = o.d_model;
    this.nhead = o.nhead;
    this.batch_first = o.batch_first;
  }

  /** xavier_uniform_ on every parameter of more than one dimension, as PyTorch's _reset_parameters. */
  _reset_parameters(): void {
    for (const p of this.parameters()) if (p.ndim > 1) init.xavier_uniform_(p);
  }

  override forward(src: Tensor, tgt: Tensor, ...rest: unknown[]): Tensor {
    const a = parseArgs<TransformerForward>('Transformer.forward', rest, TRANSFORMER_FORWARD, { ...DECODER_DEFAULTS, src_mask: null, src_key_padding_mask: null, src_is_causal: null });
    const batched = src.ndim === 3;
    if (batched && src.shape[this.batch_first ? 0 : 1] !== tgt.shape[this.batch_first ? 0 : 1]) throw new RangeError('the batch number of src and tgt must be equal');
    if (src.shape[src.ndim - 1] !== this.d_model || tgt.shape[tgt.ndim - 1] !== this.d_model)
      throw new RangeError('the feature number of src and tgt must be equal to d_model');
    const memory = this.encoder.call(src, { mask: a.src_mask, src_key_padding_mask: a.src_key_padding_mask, is_causal: a.src_is_causal }) as Tensor;
    return this.decoder.call(tgt, memory, {
      tgt_mask: a.tgt_mask, memory_mask: a.memory_mask, tgt_key_padding_mask: a.tgt_key_padding_mask,
      memory_key_padding_mask: a.memory_key_padding_mask, tgt_is_causal: a.tgt_is_causal, memory_is_causal: a.memory_is_causal,
    }) as Tensor;
  }

  /** A square causal mask for a sequence of length sz: -inf above the diagonal, 0 elsewhere (float). */
  static generate_square_subsequent_mask(sz: number | { sz: number; device?: string; dtype?: DTypeLike }, opts: { device?: string; dtype?: DTypeLike } = {}): Tensor {
    if (typeof sz === 'object') { opts = sz; sz = sz.sz; }
    return triu(full([sz, sz], -Infinity, { device: opts.device, dtype: opts.dtype }), 1);
  }
}
