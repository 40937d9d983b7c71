// Attention: F.scaled_dot_product_attention (PyTorch 2.x) and F.multi_head_attention_forward
// (behind nn.MultiheadAttention). Composed from matmul, softmax, masked_fill and dropout, so
// autograd and both backends (wasm, webgpu) come for free.
import { Tensor } from '../../tensor.js';
import { arange, zeros } from '../../creation.js';
import { cat } from '../../ops/indexing.js';
import { softmax } from './activation.js';
import { linear, dropout, pad } from './misc.js';
import { parseArgs, sizeStr } from './args.js';

const torchSize = (s: readonly number[]): string => `torch.Size(${sizeStr(s)})`;
const tuple = (s: readonly number[]): string => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** The [L, S] bool mask of what a causal attention leaves out (key j > query i), on `like`'s device. */
function futureMask(L: number, S: number, like: Tensor): Tensor {
  const dev = { device: like.device };
  return arange(S, dev).unsqueeze(0).gt(arange(L, dev).unsqueeze(1));
}

interface SdpaArgs { attn_mask: Tensor | null; dropout_p: number; is_causal: boolean; scale: number | null }

/**
 * F.scaled_dot_product_attention(query, key, value, attn_mask=null, dropout_p=0, is_causal=false, scale=null):
 * softmax(query @ key.T * scale + mask) @ value over [..., L, E] queries and [..., S, E] keys.
 * A bool attn_mask marks with true the positions that take part; a float one is added to the scores.
 */
export function scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, ...rest: unknown[]): Tensor {
  const op = 'scaled_dot_product_attention';
  const a = parseArgs<SdpaArgs>(op, rest, ['attn_mask', 'dropout_p', 'is_causal', 'scale'], { attn_mask: null, dropout_p: 0, is_causal: false, scale: null });
  for (const [n, t] of [['query', query], ['key', key], ['value', value]] as const) {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}(): argument '${n}' must be Tensor, not ${typeof t}`);
  }
  if (query.ndim < 2 || key.ndim < 2 || value.ndim < 2)
    throw new RangeError(`${op}: Expected query, key, and value to all be at least 2 dimensional, but got query.dim: ${query.ndim}, key.dim: ${key.ndim} and value.dim: ${value.ndim} instead.`);
  if (query.dtype !== key.dtype || query.dtype !== value.dtype)
    throw new TypeError(`${op}: Expected query, key, and value to have the same dtype, but got query.dtype: ${query.dtype} key.dtype: ${key.dtype} and value.dtype: ${value.dtype} instead.`);
  const E = query.shape[query.ndim - 1];
  if (key.shape[key.ndim - 1] !== E)
    throw new RangeError(`${op}: Expected query and key to have the same embedding size, but got query ${sizeStr(query.shape)} and key ${sizeStr(key.shape)}`);
  if (key.shape[key.ndim - 2] !== value.shape[value.ndim - 2])
    throw new RangeError(`${op}: Expected key and value to have the same sequence length, but got key ${sizeStr(key.shape)} and value ${sizeStr(value.shape)}`);
  if (a.dropout_p < 0 || a.dropout_p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${a.dropout_p}`);
  const L = query.shape[query.ndim - 2], S = key.shape[key.ndim - 2];
  const scale = a.scale ?? 1 / Math.sqrt(E);
  let scores = query.matmul(key.transpose(-2, -1)).mul(scale);
  if (a.is_causal) {
    if (a.attn_mask) throw new Error('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
    scores = scores.masked_fill(futureMask(L, S, query), -Infinity);
  }
  const m = a.attn_mask;
  if (m) {
    if (!(m instanceof Tensor)) throw new TypeError(`${op}(): argument 'attn_mask' must be Tensor, not ${typeof m}`);
    if (m.dtype !== 'bool' && m.dtype !== query.dtype)
      throw new TypeError(`${op}: Expected attn_mask dtype to be bool or to match query dtype, but got attn_mask.dtype: ${m.dtype} and query.dtype: ${query.dtype} instead.`);
    const fits = m.ndim <= scores.ndim && m.shape.every((s, i) => s === 1 || s === scores.shape[scores.ndim - m.ndim + i]);
    if (!fits) throw new RangeError(`${op}: attn_mask of shape ${sizeStr(m.shape)} cannot be broadcast to the attention scores of shape ${sizeStr(scores.shape)} (query ${sizeStr(query.shape)}, key ${sizeStr(key.shape)})`);
    scores = m.dtype === 'bool' ? scores.masked_fill(m.logical_not(), -Infinity) : scores.add(m);
  }
  let w = softmax(scores, -1);
  if (a.dropout_p > 0) w = dropout(w, a.dropout_p, true);
  return w.matmul(value);
}

/** A bool mask (true = masked out) as PyTorch 2.x's _canonical_mask makes it: 0 / -inf in `dtype`. */
function canonicalMask(mask: Tensor | null, name: string, like: Tensor): Tensor | null {
  if (!mask) return null;
  if (!(mask instanceof Tensor)) throw new TypeError(`multi_head_attention_forward(): argument '${name}' must be Tensor, not ${typeof mask}`);
  if (mask.dtype === 'bool') return zeros([...mask.shape], { dtype: like.dtype, device: like.device }).masked_fill(mask, -Infinity);
  if (!mask.is_floating_point()) throw new TypeError(`only bool and floating types of ${name} are supported`);
  if (mask.dtype !== like.dtype) throw new TypeError(`multi_head_attention_forward: expected a float ${name} of the query's dtype ${like.dtype}, but got ${mask.dtype}`);
  return mask;
}

/** PyTorch's _mha_shape_check: is the input batched (3-D) or not (2-D)? */
function mhaShapeCheck(q: Tensor, k: Tensor, v: Tensor, kpm: Tensor | null, mask: Tensor | null, heads: number): boolean {
  if (q.ndim === 3) {
    if (k.ndim !== 3 || v.ndim !== 3)
      throw new RangeError(`For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${k.ndim}-D and ${v.ndim}-D tensors respectively`);
    if (kpm && kpm.ndim !== 2)
      throw new RangeError(`For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${kpm.ndim}-D tensor instead`);
    if (mask && mask.ndim !== 2 && mask.ndim !== 3)
      throw new RangeError(`For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.ndim}-D tensor instead`);
    return true;
  }
  if (q.ndim === 2) {
    if (k.ndim !== 2 || v.ndim !== 2)
      throw new RangeError(`For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${k.ndim}-D and ${v.ndim}-D tensors respectively`);
    if (kpm && kpm.ndim !== 1)
      throw new RangeError(`For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${kpm.ndim}-D tensor instead`);
    if (mask) {
      if (mask.ndim !== 2 && mask.ndim !== 3)
        throw new RangeError(`For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.ndim}-D tensor instead`);
      const exp = [heads, q.shape[0], k.shape[0]];
      if (mask.ndim === 3 && !sameShape(mask.shape, exp))
        throw new RangeError(`Expected \`attn_mask\` shape to be ${tuple(exp)} but got ${torchSize(mask.shape)}`);
    }
    return false;
  }
  throw new RangeError(`query should be unbatched 2D or batched 3D tensor but received ${q.ndim}-D query tensor`);
}

export interface MhaArgs {
  training: boolean; key_padding_mask: Tensor | null; need_weights: boolean; attn_mask: Tensor | null;
  use_separate_proj_weight: boolean; q_proj_weight: Tensor | null; k_proj_weight: Tensor | null; v_proj_weight: Tensor | null;
  static_k: Tensor | null; static_v: Tensor | null; average_attn_weights: boolean; is_causal: boolean;
}
const MHA_NAMES: (keyof MhaArgs)[] = ['training', 'key_padding_mask', 'need_weights', 'attn_mask', 'use_separate_proj_weight',
  'q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'static_k', 'static_v', 'average_attn_weights', 'is_causal'];
const MHA_DEFAULTS: Partial<MhaArgs> = {
  training: true, key_padding_mask: null, need_weights: true, attn_mask: null, use_separate_proj_weight: false,
  q_proj_weight: null, k_proj_weight: null, v_proj_weight: null, static_k: null, static_v: null, average_attn_weights: true, is_causal: false,
};

/**
 * F.multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight,
 * in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
 * training=true, key_padding_mask=null, need_weights=true, attn_mask=null, use_separate_proj_weight=false,
 * q_proj_weight=null, k_proj_weight=null, v_proj_weight=null, static_k=null, static_v=null,
 * average_attn_weights=true, is_causal=false) -> [attn_output, attn_weights | null], sequence-first
 * ([L, N, E] or unbatched [L, E]). Bool masks mark with true the positions that are left out.
 */
export function multi_head_attention_forward(
  query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: number, num_heads: number,
  in_proj_weight: Tensor | null, in_proj_bias: Tensor | null, bias_k: Tensor | null, bias_v: Tensor | null,
  add_zero_attn: boolean, dropout_p: number, out_proj_weight: Tensor, out_proj_bias: Tensor | null, ...rest: unknown[]
): [Tensor, Tensor | null] {
  const a = parseArgs<MhaArgs>('multi_head_attention_forward', rest, MHA_NAMES, MHA_DEFAULTS);
  let kpm = a.key_padding_mask;
  const batched = mhaShapeCheck(query, key, value, kpm, a.attn_mask, num_heads);
  if (!batched) {
    query = query.unsqueeze(1); key = key.unsqueeze(1); value = value.unsqueeze(1);
    if (kpm) kpm = kpm.unsqueeze(0);
  }
  const [tgtLen, bsz, embedDim] = query.shape;
  if (embedDim !== embed_dim_to_check) throw new RangeError(`was expecting embedding dimension of ${embed_dim_to_check}, but got ${embedDim}`);
  const headDim = Math.floor(embedDim / num_heads);
  if (headDim * num_heads !== embedDim) throw new RangeError(`embed_dim ${embedDim} not divisible by num_heads ${num_heads}`);
  if (a.use_separate_proj_weight) {
    if (key.shape[0] !== value.shape[0] || key.shape[1] !== value.shape[1])
      throw new RangeError(`key's sequence and batch dims ${torchSize(key.shape.slice(0, 2))} do not match value's ${torchSize(value.shape.slice(0, 2))}`);
  } else if (!sameShape(key.shape, value.shape)) throw new RangeError(`key shape ${torchSize(key.shape)} does not match value shape ${torchSize(value.shape)}`);
  if (a.is_causal && !a.attn_mask)
    throw new Error('Need attn_mask if specifying the is_causal hint. You may use the Transformer module method `generate_square_subsequent_mask` to create this mask.');

  // in-projection: one GEMM for self-attention, three otherwise
  const [bq, bk, bv] = in_proj_bias ? in_proj_bias.chunk(3) : [null, null, null];
  let q: Tensor, k: Tensor, v: Tensor;
  if (a.use_separate_proj_weight) {
    if (!a.q_proj_weight || !a.k_proj_weight || !a.v_proj_weight) throw new TypeError('use_separate_proj_weight is True but q_proj_weight, k_proj_weight or v_proj_weight is None');
    q = linear(query, a.q_proj_weight, bq); k = linear(key, a.k_proj_weight, bk); v = linear(value, a.v_proj_weight, bv);
  } else {
    if (!in_proj_weight) throw new TypeError('use_separate_proj_weight is False but in_proj_weight is None');
    if (query === key && key === value) [q, k, v] = linear(query, in_proj_weight, in_proj_bias).chunk(3, -1);
    else {
      const [wq, wk, wv] = in_proj_weight.chunk(3);
      q = linear(query, wq, bq); k = linear(key, wk, bk); v = linear(value, wv, bv);
    }
  }

  // masks: 0 / -inf floats, attn_mask [1 or N*H, L, S]
  let mask = canonicalMask(a.attn_mask, 'attn_mask', q);
  let pmask = canonicalMask(kpm, 'key_padding_mask', q);
  const srcLen0 = key.shape[0];
  if (mask) {
    if (mask.ndim === 2) {
      if (!sameShape(mask.shape, [tgtLen, srcLen0])) throw new RangeError(`The shape of the 2D attn_mask is ${torchSize(mask.shape)}, but should be ${tuple([tgtLen, srcLen0])}.`);
      mask = mask.unsqueeze(0);
    } else if (mask.ndim === 3) {
      const exp = [bsz * num_heads, tgtLen, srcLen0];
      if (!sameShape(mask.shape, exp)) throw new RangeError(`The shape of the 3D attn_mask is ${torchSize(mask.shape)}, but should be ${tuple(exp)}.`);
    } else throw new RangeError(`attn_mask's dimension ${mask.ndim} is not supported`);
  }
  if (bias_k && bias_v) {
    if (a.static_k) throw new Error('bias cannot be added to static key.');
    if (a.static_v) throw new Error('bias cannot be added to static value.');
    k = cat([k, bias_k.repeat(1, bsz, 1)]);
    v = cat([v, bias_v.repeat(1, bsz, 1)]);
    if (mask) mask = pad(mask, [0, 1]);
    if (pmask) pmask = pad(pmask, [0, 1]);
  } else if (bias_k || bias_v) throw new Error('bias_k and bias_v must both be given or both be None');

  // heads: [N*H, len, head_dim]
  q = q.reshape([tgtLen, bsz * num_heads, headDim]).transpose(0, 1);
  const heads = (t: Tensor, stat: Tensor | null, name: string): Tensor => {
    if (!stat) return t.reshape([t.shape[0], bsz * num_heads, headDim]).transpose(0, 1);
    if (stat.shape[0] !== bsz * num_heads) throw new RangeError(`expecting ${name}.size(0) of ${bsz * num_heads}, but got ${stat.shape[0]}`);
    if (stat.shape[2] !== headDim) throw new RangeError(`expecting ${name}.size(2) of ${headDim}, but got ${stat.shape[2]}`);
    return stat;
  };
  k = heads(k, a.static_k, 'static_k');
  v = heads(v, a.static_v, 'static_v');
  if (add_zero_attn) {
    const z = zeros([bsz * num_heads, 1, headDim], { dtype: k.dtype, device: k.device });
    k = cat([k, z], 1); v = cat([v, z], 1);
    if (mask) mask = pad(mask, [0, 1]);
    if (pmask) pmask = pad(pmask, [0, 1]);
  }
  const srcLen = k.shape[1];
  if (pmask) {
    if (!sameShape(pmask.shape, [bsz, srcLen])) throw new RangeError(`expecting key_padding_mask shape of ${tuple([bsz, srcLen])}, but got ${torchSize(pmask.shape)}`);
    pmask = pmask.view([bsz, 1, 1, srcLen]).expand(-1, num_heads, -1, -1).reshape([bsz * num_heads, 1, srcLen]);
    mask = mask ? mask.add(pmask) : pmask;
  }

  // attention: weights [N*H, L, S], output [L, N, E]
  let scores = q.mul(Math.sqrt(1 / headDim)).matmul(k.transpose(-2, -1));
  if (mask) scores = scores.add(mask);
  let w = softmax(scores, -1);
  if (a.training && dropout_p > 0) w = dropout(w, dropout_p, true);
  let out = w.matmul(v).transpose(0, 1).reshape([tgtLen * bsz, embedDim]);
  out = linear(out, out_proj_weight, out_proj_bias).view([tgtLen, bsz, out_proj_weight.shape[0]]);
  if (!batched) out = out.squeeze(1);
  if (!a.need_weights) return [out, null];
  w = w.view([bsz, num_heads, tgtLen, srcLen]);
  if (a.average_attn_weights) w = w.mean(1);
  if (!batched) w = w.squeeze(0);
  return [out, w];
}
