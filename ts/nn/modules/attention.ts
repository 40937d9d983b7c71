// nn.MultiheadAttention: PyTorch's parameters (in_proj_weight / in_proj_bias, or q/k/v_proj_weight
// when kdim or vdim differ from embed_dim; out_proj; bias_k / bias_v), its init (_reset_parameters)
// and its forward (F.multi_head_attention_forward, composed from existing ops).
import { Tensor } from '../../tensor.js';
import { empty } from '../../creation.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import * as init from '../init.js';
import { multi_head_attention_forward } from '../functional/attention.js';
import { parseArgs } from '../functional/args.js';
import { Linear, dtypeOf } from './linear.js';
import type { FactoryOpts } from './linear.js';

/** PyTorch's out_proj class (a Linear; the name only matters to quantization and to repr). */
export class NonDynamicallyQuantizableLinear extends Linear {}

export interface MultiheadAttentionOpts extends FactoryOpts {
  embed_dim: number; num_heads: number; dropout?: number; bias?: boolean; add_bias_kv?: boolean; add_zero_attn?: boolean;
  kdim?: number | null; vdim?: number | null; batch_first?: boolean;
}
const MHA_ARGS = ['embed_dim', 'num_heads', 'dropout', 'bias', 'add_bias_kv', 'add_zero_attn', 'kdim', 'vdim', 'batch_first', 'device', 'dtype'] as const;

interface ForwardArgs { key_padding_mask: Tensor | null; need_weights: boolean; attn_mask: Tensor | null; average_attn_weights: boolean; is_causal: boolean }
const FORWARD_ARGS: (keyof ForwardArgs)[] = ['key_padding_mask', 'need_weights', 'attn_mask', 'average_attn_weights', 'is_causal'];

/**
 * nn.MultiheadAttention(embed_dim, num_heads, dropout=0, bias=true, add_bias_kv=false,
 * add_zero_attn=false, kdim=null, vdim=null, batch_first=false); forward(query, key, value,
 * key_padding_mask=null, need_weights=true, attn_mask=null, average_attn_weights=true,
 * is_causal=false) -> [attn_output, attn_weights | null].
 */
export class MultiheadAttention extends Module {
  declare in_proj_weight: Parameter | null;
  declare q_proj_weight: Parameter | null;
  declare k_proj_weight: Parameter | null;
  declare v_proj_weight: Parameter | null;
  declare in_proj_bias: Parameter | null;
  declare out_proj: NonDynamicallyQuantizableLinear;
  bias_k: Parameter | null = null;
  bias_v: Parameter | null = null;
  embed_dim: number;
  kdim: number;
  vdim: number;
  _qkv_same_embed_dim: boolean;
  num_heads: number;
  dropout: number;
  batch_first: boolean;
  head_dim: number;
  add_zero_attn: boolean;

  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<MultiheadAttentionOpts>('MultiheadAttention', args, [...MHA_ARGS], {
      dropout: 0, bias: true, add_bias_kv: false, add_zero_attn: false, kdim: null, vdim: null, batch_first: false,
    });
    const E = o.embed_dim;
    if (!Number.isInteger(E) || E <= 0 || !Number.isInteger(o.num_heads) || o.num_heads <= 0)
      throw new RangeError(`embed_dim and num_heads must be greater than 0, got embed_dim=${E} and num_heads=${o.num_heads} instead`);
    this.embed_dim = E;
    this.kdim = o.kdim ?? E;
    this.vdim = o.vdim ?? E;
    this._qkv_same_embed_dim = this.kdim === E && this.vdim === E;
    this.num_heads = o.num_heads;
    this.dropout = o.dropout!;
    this.batch_first = o.batch_first!;
    this.head_dim = Math.floor(E / o.num_heads);
    if (this.head_dim * o.num_heads !== E) throw new RangeError('embed_dim must be divisible by num_heads');
    const dtype = dtypeOf(o);
    const p = (shape: number[]) => new Parameter(empty(shape, { dtype }));
    if (!this._qkv_same_embed_dim) {
      this.q_proj_weight = p([E, E]);
      this.k_proj_weight = p([E, this.kdim]);
      this.v_proj_weight = p([E, this.vdim]);
      this.register_parameter('in_proj_weight', null);
    } else {
      this.in_proj_weight = p([3 * E, E]);
      this.register_parameter('q_proj_weight', null);
      this.register_parameter('k_proj_weight', null);
      this.register_parameter('v_proj_weight', null);
    }
    if (o.bias) this.in_proj_bias = p([3 * E]);
    else this.register_parameter('in_proj_bias', null);
    this.out_proj = new NonDynamicallyQuantizableLinear(E, E, { bias: o.bias, dtype });
    if (o.add_bias_kv) { this.bias_k = p([1, 1, E]); this.bias_v = p([1, 1, E]); }
    this.add_zero_attn = o.add_zero_attn!;
    this._reset_parameters();
  }

  _reset_parameters(): void {
    if (this._qkv_same_embed_dim) init.xavier_uniform_(this.in_proj_weight!);
    else for (const w of [this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) init.xavier_uniform_(w!);
    if (this.in_proj_bias) {
      init.constant_(this.in_proj_bias, 0);
      init.constant_(this.out_proj.bias!, 0);
    }
    if (this.bias_k) init.xavier_normal_(this.bias_k);
    if (this.bias_v) init.xavier_normal_(this.bias_v);
  }

  override forward(query: Tensor, key: Tensor, value: Tensor, ...rest: unknown[]): [Tensor, Tensor | null] {
    const a = parseArgs<ForwardArgs>('MultiheadAttention.forward', rest, FORWARD_ARGS,
      { key_padding_mask: null, need_weights: true, attn_mask: null, average_attn_weights: true, is_causal: false });
    for (const [n, t] of [['query', query], ['key', key], ['value', value]] as const) {
      if (!(t instanceof Tensor)) throw new TypeError(`MultiheadAttention.forward(): argument '${n}' must be Tensor, not ${typeof t}`);
    }
    const bf = this.batch_first && query.ndim === 3;
    if (bf) { // keep `query is key is value` (self-attention takes one projection GEMM)
      const t = (x: Tensor) => x.transpose(1, 0);
      const q = t(query);
      const k = key === query ? q : t(key);
      const v = value === key ? k : t(value);
      [query, key, value] = [q, k, v];
    }
    const [out, w] = multi_head_attention_forward(query, key, value, this.embed_dim, this.num_heads,
      this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v, this.add_zero_attn, this.dropout,
      this.out_proj.weight, this.out_proj.bias, {
        training: this.training, key_padding_mask: a.key_padding_mask, need_weights: a.need_weights, attn_mask: a.attn_mask,
        use_separate_proj_weight: !this._qkv_same_embed_dim, q_proj_weight: this.q_proj_weight, k_proj_weight: this.k_proj_weight,
        v_proj_weight: this.v_proj_weight, average_attn_weights: a.average_attn_weights, is_causal: a.is_causal,
      });
    return [bf ? out.transpose(1, 0) : out, w];
  }
}
