// Attention and the Transformer layers against PyTorch 1.13 (test/fixtures/nn_attention.json,
// recorded by test/fixtures/gen_attn_fixtures.py): F.scaled_dot_product_attention,
// nn.MultiheadAttention, TransformerEncoderLayer/Encoder, TransformerDecoderLayer/Decoder and
// Transformer; outputs and the gradients of every input and parameter, float32 and float64;
// float64 gradchecks; PyTorch's errors; state_dict keys, init and deep copies; 200 Adam steps
// of a small causal Transformer language model that follow PyTorch's losses; a flat memory loop.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { toT, stateDict, expectClose, expectLayout, type TJ } from './helpers/json_tensor.js';

const { nn } = torch;
const F = nn.functional;
interface TJ { dtype: string; shape: number[]; data: number[] } // infinities arrive as 'inf' / '-inf'
interface SdpaCase {
  id: string; q: TJ; k: TJ; v: TJ; mask: TJ | null; is_causal: boolean; scale: number | null;
  out: TJ; go: TJ; grad_q: TJ; grad_k: TJ; grad_v: TJ;
}
interface ModCase {
  id: string; cls: string; args: unknown; kwargs: Record<string, unknown>; state_dict: Record<string, TJ>; param_order: string[];
  inputs: TJ[]; call: number[]; fwd_kwargs: Record<string, TJ | boolean>; outs: (TJ | null)[]; gos: (TJ | null)[];
  grad_inputs: TJ[]; grad_params: Record<string, TJ>; repr: string;
}
interface Train {
  emb: Record<string, TJ>; enc: Record<string, TJ>; head: Record<string, TJ>; x: number[]; y: number[]; shape: number[];
  V: number; D: number; lr: number; losses: number[];
}
const here = dirname(fileURLToPath(import.meta.url));
const FX = JSON.parse(readFileSync(join(here, 'fixtures', 'nn_attention.json'), 'utf8'), (_k, v) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v)) as {
  sdpa: SdpaCase[]; modules: ModCase[]; train: Train; square_subsequent_mask: TJ; pt_transformer: { src: TJ; tgt: TJ; out: TJ };
};

const isTJ = (v: unknown): v is TJ => typeof v === 'object' && v !== null && 'data' in v;
const sd = stateDict;
const close = expectClose;

/** The module of a case, built from its PyTorch constructor arguments. */
function make(c: ModCase): torch.nn.Module {
  const dtype = c.inputs[0].dtype;
  const Cls = (nn as unknown as Record<string, new (...a: unknown[]) => torch.nn.Module>)[c.cls];
  if (c.args === 'enc' || c.args === 'dec') {
    const Layer = c.args === 'enc' ? nn.TransformerEncoderLayer : nn.TransformerDecoderLayer;
    const [la, lk] = c.kwargs.layer as [unknown[], Record<string, unknown>];
    const norm = c.kwargs.norm ? new nn.LayerNorm(la[0] as number, { dtype: dtype as 'float32' }) : null;
    return new Cls(new Layer(...la, { ...lk, dtype }), c.kwargs.num_layers, norm);
  }
  return new Cls(...(c.args as unknown[]), { ...c.kwargs, dtype });
}

describe('F.scaled_dot_product_attention matches PyTorch 2.x math (fixtures)', () => {
  for (const c of FX.sdpa) {
    it(c.id, () => {
      const q = toT(c.q, true), k = toT(c.k, true), v = toT(c.v, true);
      const out = F.scaled_dot_product_attention(q, k, v, { attn_mask: c.mask ? toT(c.mask) : null, is_causal: c.is_causal, scale: c.scale });
      close(out, c.out, 'out');
      out.mul(toT(c.go)).sum().backward();
      close(q.grad, c.grad_q, 'grad q'); close(k.grad, c.grad_k, 'grad k'); close(v.grad, c.grad_v, 'grad v');
    });
  }
  it('positional arguments and defaults', () => {
    const c = FX.sdpa.find((s) => s.id === 'sdpa_float_mask_float64')!;
    close(F.scaled_dot_product_attention(toT(c.q), toT(c.k), toT(c.v), toT(c.mask!), 0, false, c.scale), c.out, 'out');
    const q = torch.randn([2, 3, 4]), k = torch.randn([2, 5, 4]), v = torch.randn([2, 5, 2]);
    const ref = F.softmax(q.matmul(k.transpose(-2, -1)).div(2), -1).matmul(v);
    expect(F.scaled_dot_product_attention(q, k, v).sub(ref).abs().max().itemSync()).toBeLessThan(1e-6);
  });
  it('dropout_p zeroes attention weights in training (always on, as PyTorch)', () => {
    const q = torch.randn([1, 4, 8]), k = torch.randn([1, 6, 8]);
    const v = torch.eye(6).unsqueeze(0); // the output is the (dropped, rescaled) weights
    const w = F.scaled_dot_product_attention(q, k, v, { dropout_p: 0.5 });
    const d = Array.from(w.dataSync() as Float32Array);
    expect(d.filter((x) => x === 0).length).toBeGreaterThan(2);
    expect(Math.abs(w.sum().itemSync() as number - 8)).toBeLessThan(4);
  });
});

describe('MultiheadAttention and the Transformer layers match PyTorch (fixtures)', () => {
  for (const c of FX.modules) {
    it(c.id, () => {
      const m = make(c);
      expectLayout(m, c);
      m.load_state_dict(sd(c.state_dict));
      m.eval();
      const xs = c.inputs.map((j) => toT(j, true));
      const kw = Object.fromEntries(Object.entries(c.fwd_kwargs).map(([k, v]) => [k, isTJ(v) ? toT(v) : v]));
      const res = m.forward(...c.call.map((i) => xs[i]), kw) as Tensor | [Tensor, Tensor | null];
      const outs = Array.isArray(res) ? res : [res];
      expect(outs.length).toBe(c.outs.length);
      let loss: Tensor | null = null;
      outs.forEach((o, i) => {
        const e = c.outs[i];
        if (e === null) { expect(o).toBeNull(); return; }
        close(o, e, `out${i}`);
        const l = o!.mul(toT(c.gos[i]!)).sum();
        loss = loss ? loss.add(l) : l;
      });
      loss!.backward();
      xs.forEach((x, i) => close(x.grad, c.grad_inputs[i], `grad input${i}`));
      const params = Object.fromEntries(m.named_parameters());
      for (const [k, g] of Object.entries(c.grad_params)) close(params[k].grad, g, `grad ${k}`);
    });
  }
  it('Transformer.generate_square_subsequent_mask', () => {
    close(nn.Transformer.generate_square_subsequent_mask(4), FX.square_subsequent_mask, 'mask');
    expect(nn.Transformer.generate_square_subsequent_mask(3, { dtype: 'float64' }).dtype).toBe('float64');
  });
});

describe('PyTorch checkpoints', () => {
  it('a Transformer state_dict written by torch.save loads and gives PyTorch\'s output', () => {
    const sdict = torch.load(new Uint8Array(readFileSync(join(here, 'fixtures', 'attn_transformer.pt')))) as Record<string, Tensor>;
    const t = new nn.Transformer(8, 2, 1, 1, 16, { batch_first: true });
    expect(Object.keys(sdict)).toEqual(Object.keys(t.state_dict()));
    t.load_state_dict(sdict);
    t.eval();
    const P = FX.pt_transformer;
    close(t.forward(toT(P.src), toT(P.tgt), { tgt_mask: nn.Transformer.generate_square_subsequent_mask(4) }), P.out, 'out');
  });
});

describe('gradcheck (float64)', () => {
  const { gradcheck } = torch.autograd;
  const r = (...s: number[]) => torch.randn(s, { dtype: 'float64' }).requires_grad_();
  it('scaled_dot_product_attention with a float mask, causal and scaled', () => {
    const mask = torch.randn([3, 4], { dtype: 'float64' });
    expect(gradcheck((q: Tensor, k: Tensor, v: Tensor) => F.scaled_dot_product_attention(q, k, v, { attn_mask: mask }), [r(2, 3, 5), r(2, 4, 5), r(2, 4, 2)])).toBe(true);
    expect(gradcheck((q: Tensor, k: Tensor, v: Tensor) => F.scaled_dot_product_attention(q, k, v, { is_causal: true, scale: 0.7 }), [r(2, 4, 3), r(2, 4, 3), r(2, 4, 3)])).toBe(true);
  });
  it('MultiheadAttention: inputs and every parameter (kdim/vdim, bias_kv, zero_attn, masks)', () => {
    for (const m of [
      new nn.MultiheadAttention(4, 2, { dtype: 'float64' }),
      new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 2, add_bias_kv: true, add_zero_attn: true, batch_first: true, dtype: 'float64' }),
    ]) {
      const names = m.named_parameters().map(([n]) => n);
      const ps = m.parameters().map((p) => p.detach().clone().requires_grad_());
      const kd = m.kdim, vd = m.vdim, bf = m.batch_first;
      const kpm = torch.tensor([[false, false, true], [false, false, false]]);
      // the module's forward with its parameters swapped for the gradcheck's inputs
      const fn = (q: Tensor, k: Tensor, v: Tensor, ...ws: Tensor[]) => {
        const p = Object.fromEntries(names.map((n, i) => [n, ws[i]]));
        const t = (x: Tensor) => (bf ? x.transpose(0, 1) : x);
        const [o, w] = F.multi_head_attention_forward(t(q), t(k), t(v), m.embed_dim, m.num_heads, p.in_proj_weight ?? null, p.in_proj_bias ?? null,
          p.bias_k ?? null, p.bias_v ?? null, m.add_zero_attn, 0, p['out_proj.weight'], p['out_proj.bias'] ?? null,
          { key_padding_mask: kpm, use_separate_proj_weight: !m._qkv_same_embed_dim, q_proj_weight: p.q_proj_weight ?? null,
            k_proj_weight: p.k_proj_weight ?? null, v_proj_weight: p.v_proj_weight ?? null });
        return o.add(o.mul(o)).sum().add(w!.mul(w!).sum());
      };
      const shp = (L: number, E: number) => (bf ? r(2, L, E) : r(L, 2, E));
      expect(gradcheck(fn, [shp(2, 4), shp(3, kd), shp(3, vd), ...ps])).toBe(true);
    }
  });
});

describe('PyTorch errors', () => {
  it('MultiheadAttention constructor and input shapes', () => {
    expect(() => new nn.MultiheadAttention(10, 3)).toThrow('embed_dim must be divisible by num_heads');
    const m = new nn.MultiheadAttention(8, 2);
    const x = torch.randn([4, 2, 8]);
    expect(() => m.forward(x, torch.randn([4, 8]), torch.randn([4, 8]))).toThrow('For batched (3-D) `query`, expected `key` and `value` to be 3-D but found 2-D and 2-D tensors respectively');
    expect(() => m.forward(torch.randn([2, 4, 2, 8]), x, x)).toThrow('query should be unbatched 2D or batched 3D tensor but received 4-D query tensor');
    expect(() => m.forward(torch.randn([4, 2, 6]), torch.randn([4, 2, 6]), torch.randn([4, 2, 6]))).toThrow('was expecting embedding dimension of 8, but got 6');
    expect(() => m.forward(x, x, x, { attn_mask: torch.zeros([4, 5]) })).toThrow('The shape of the 2D attn_mask is torch.Size([4, 5]), but should be (4, 4).');
    expect(() => m.forward(x, x, x, { attn_mask: torch.zeros([2, 4, 4]) })).toThrow('The shape of the 3D attn_mask is torch.Size([2, 4, 4]), but should be (4, 4, 4).');
    expect(() => m.forward(x, x, x, { key_padding_mask: torch.zeros([2, 5], { dtype: 'bool' }) })).toThrow('expecting key_padding_mask shape of (2, 4), but got torch.Size([2, 5])');
    expect(() => m.forward(x, x, x, { key_padding_mask: torch.zeros([2, 4, 1], { dtype: 'bool' }) })).toThrow('For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but found 3-D tensor instead');
    expect(() => m.forward(x, x, x, { attn_mask: torch.zeros([4, 4], { dtype: 'int64' }) })).toThrow('only bool and floating types of attn_mask are supported');
    expect(() => m.forward(x, x, x, { attn_mask: torch.zeros([4, 4], { dtype: 'float64' }) })).toThrow('expected a float attn_mask of the query\'s dtype float32, but got float64');
    expect(() => m.forward(x, torch.randn([5, 2, 8]), x)).toThrow('key shape torch.Size([5, 2, 8]) does not match value shape torch.Size([4, 2, 8])');
    expect(() => m.forward(x, x, x, { is_causal: true })).toThrow('Need attn_mask if specifying the is_causal hint');
    const u = torch.randn([4, 8]);
    expect(() => m.forward(u, u, u, { attn_mask: torch.zeros([3, 4, 4]) })).toThrow('Expected `attn_mask` shape to be (2, 4, 4) but got torch.Size([3, 4, 4])');
    expect(() => m.forward(x, x, x, { foo: 1 } as never)).toThrow("MultiheadAttention.forward() got an unexpected keyword argument 'foo'");
  });
  it('scaled_dot_product_attention', () => {
    const q = torch.randn([2, 4, 8]);
    expect(() => F.scaled_dot_product_attention(q, q, q, { attn_mask: torch.ones([4, 4], { dtype: 'bool' }), is_causal: true }))
      .toThrow('Explicit attn_mask should not be set when is_causal=True');
    expect(() => F.scaled_dot_product_attention(q, torch.randn([2, 4, 6]), q)).toThrow(/same embedding size.*\[2, 4, 8\].*\[2, 4, 6\]/);
    expect(() => F.scaled_dot_product_attention(q, q, q, { attn_mask: torch.zeros([3, 3]) })).toThrow(/attn_mask of shape \[3, 3\] cannot be broadcast to the attention scores of shape \[2, 4, 4\]/);
    expect(() => F.scaled_dot_product_attention(q, q, q.double())).toThrow('Expected query, key, and value to have the same dtype');
    expect(() => F.scaled_dot_product_attention(q, q, q, { attn_mask: torch.zeros([4, 4], { dtype: 'float64' }) }))
      .toThrow('Expected attn_mask dtype to be bool or to match query dtype, but got attn_mask.dtype: float64 and query.dtype: float32 instead.');
    expect(() => F.scaled_dot_product_attention(q, q, q, { attn_mask: torch.zeros([3, 4, 4]) })).toThrow(/cannot be broadcast/);
    expect(() => F.scaled_dot_product_attention(torch.randn([8]), q, q)).toThrow('at least 2 dimensional');
  });
  it('Transformer', () => {
    const t = new nn.Transformer({ d_model: 8, nhead: 2, num_encoder_layers: 1, num_decoder_layers: 1, dim_feedforward: 8 });
    expect(() => t.forward(torch.randn([5, 2, 8]), torch.randn([4, 3, 8]))).toThrow('the batch number of src and tgt must be equal');
    expect(() => t.forward(torch.randn([5, 2, 6]), torch.randn([4, 2, 6]))).toThrow('the feature number of src and tgt must be equal to d_model');
    expect(() => new nn.TransformerEncoderLayer(8, 2, { activation: 'tanh' as never })).toThrow('activation should be relu/gelu, not tanh');
  });
});

describe('construction, init, copies', () => {
  it('MultiheadAttention init follows _reset_parameters; kdim/vdim use separate projections', () => {
    const m = new nn.MultiheadAttention(16, 4);
    const bound = Math.sqrt(6 / (16 + 48));
    const w = Array.from(m.in_proj_weight!.dataSync() as Float32Array);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(bound * 0.9);
    expect(m.in_proj_bias!.abs().sum().itemSync()).toBe(0);
    expect(m.out_proj.bias!.abs().sum().itemSync()).toBe(0);
    expect(m.out_proj).toBeInstanceOf(nn.Linear);
    const s = new nn.MultiheadAttention(8, 2, { kdim: 3, vdim: 5, bias: false, add_bias_kv: true });
    expect(Object.keys(s.state_dict())).toEqual(['q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'bias_k', 'bias_v', 'out_proj.weight']);
    expect(s.in_proj_weight).toBeNull();
    expect(s.k_proj_weight!.shape).toEqual([8, 3]);
    expect([s.head_dim, s._qkv_same_embed_dim]).toEqual([4, false]);
  });
  it('constructor arguments, positional or by name', () => {
    const a = new nn.MultiheadAttention(8, 2, 0.1, false, true, true, 3, 4, true);
    const b = new nn.MultiheadAttention({ embed_dim: 8, num_heads: 2, dropout: 0.1, bias: false, add_bias_kv: true, add_zero_attn: true, kdim: 3, vdim: 4, batch_first: true });
    for (const m of [a, b]) expect([m.dropout, m.in_proj_bias, m.add_zero_attn, m.kdim, m.vdim, m.batch_first, m.bias_k!.shape]).toEqual([0.1, null, true, 3, 4, true, [1, 1, 8]]);
    const l1 = new nn.TransformerEncoderLayer(8, 2, 16, 0, 'gelu', 1e-3, true, true);
    const l2 = new nn.TransformerEncoderLayer({ d_model: 8, nhead: 2, dim_feedforward: 16, dropout: 0, activation: 'gelu', layer_norm_eps: 1e-3, batch_first: true, norm_first: true });
    for (const l of [l1, l2]) {
      expect([l.linear1.out_features, l.dropout.p, l.activation, l.norm1.eps, l.self_attn.batch_first, l.norm_first]).toEqual([16, 0, F.gelu, 1e-3, true, true]);
    }
    const enc = new nn.TransformerEncoder(l1, 3, new nn.LayerNorm(8));
    expect(enc.layers.length).toBe(3);
    expect(enc.norm).toBeInstanceOf(nn.LayerNorm);
    expect(new nn.TransformerEncoder({ encoder_layer: l1, num_layers: 2 }).norm).toBeNull();
    const t = new nn.Transformer(8, 2, 1, 2, 16);
    expect([(t.decoder as torch.nn.TransformerDecoder).layers.length, t.d_model]).toEqual([2, 8]);
    expect(new nn.TransformerDecoderLayer(8, 2, { dim_feedforward: 4 }).linear2.in_features).toBe(4);
  });
  it('the stacks deep-copy their layer: independent parameters that start equal', () => {
    const layer = new nn.TransformerEncoderLayer(8, 2, 16);
    const enc = new nn.TransformerEncoder(layer, 2);
    const [a, b] = [...enc.layers] as torch.nn.TransformerEncoderLayer[];
    expect(a).not.toBe(layer);
    expect(a.linear1.weight).not.toBe(b.linear1.weight);
    expect(a.linear1.weight.tolistSync()).toEqual(layer.linear1.weight.tolistSync());
    torch.no_grad(() => a.linear1.weight.add_(1));
    expect(b.linear1.weight.tolistSync()).toEqual(layer.linear1.weight.tolistSync());
    expect(enc.parameters().length).toBe(2 * layer.parameters().length);
    expect(a).toBeInstanceOf(nn.TransformerEncoderLayer);
    expect(a.training).toBe(true);
    enc.eval();
    expect(a.dropout.training).toBe(false);
    expect(layer.dropout.training).toBe(true);
  });
  it('nn.deepcopy keeps tied weights tied and copies gradients and buffers', () => {
    const lin = new nn.Linear(3, 3);
    const seq = new nn.Sequential(lin, new nn.BatchNorm1d(3), lin);
    lin.weight.grad = torch.ones([3, 3]);
    const c = nn.deepcopy(seq);
    const [l0, bn, l2] = [...c] as [torch.nn.Linear, torch.nn.BatchNorm1d, torch.nn.Linear];
    expect(l0).toBe(l2);
    expect(l0.weight).not.toBe(lin.weight);
    expect(l0.weight.grad!.tolistSync()).toEqual(lin.weight.grad.tolistSync());
    expect(Object.keys(c.state_dict())).toEqual(Object.keys(seq.state_dict()));
    expect(bn.running_mean).not.toBe((seq.get(1) as torch.nn.BatchNorm1d).running_mean);
    expect(c.parameters().length).toBe(seq.parameters().length);
  });
  it('a Module activation is registered; a function is not', () => {
    const l = new nn.TransformerEncoderLayer(8, 2, 16, 0.1, new nn.GELU());
    expect(l._modules.has('activation')).toBe(true);
    const x = torch.randn([3, 2, 8]);
    const r = new nn.TransformerEncoderLayer(8, 2, 16, 0.1, (t: Tensor) => F.gelu(t));
    r.load_state_dict(l.state_dict()); l.eval(); r.eval();
    expect(r._modules.has('activation')).toBe(false);
    expect(l.forward(x).sub(r.forward(x)).abs().max().itemSync()).toBe(0);
  });
  it('eval() turns dropout off; train() keeps it on', () => {
    const l = new nn.TransformerEncoderLayer(8, 2, 16, 0.5);
    const x = torch.randn([4, 2, 8]);
    l.eval();
    expect(l.forward(x).tolistSync()).toEqual(l.forward(x).tolistSync());
    l.train();
    expect(l.forward(x).tolistSync()).not.toEqual(l.forward(x).tolistSync());
  });
});

describe('training follows PyTorch', () => {
  it('Embedding + TransformerEncoder(2 layers, causal mask) + Linear, Adam, 200 steps, float64: relative loss difference < 1e-6', () => {
    const T = FX.train;
    const emb = new nn.Embedding(T.V, T.D, { dtype: 'float64' });
    const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(T.D, 2, 16, 0, { batch_first: true, dtype: 'float64' }), 2, new nn.LayerNorm(T.D, { dtype: 'float64' }));
    const head = new nn.Linear(T.D, T.V, { dtype: 'float64' });
    emb.load_state_dict(sd(T.emb)); enc.load_state_dict(sd(T.enc)); head.load_state_dict(sd(T.head));
    const X = torch.tensor(T.x, { dtype: 'int64' }).reshape(T.shape), Y = torch.tensor(T.y, { dtype: 'int64' }).reshape([-1]);
    const mask = nn.Transformer.generate_square_subsequent_mask(T.shape[1], { dtype: 'float64' });
    const opt = new torch.optim.Adam([...emb.parameters(), ...enc.parameters(), ...head.parameters()], { lr: T.lr });
    for (let step = 0; step < T.losses.length; step++) {
      const l = torch.scope(() => {
        opt.zero_grad();
        const logits = head.call(enc.call(emb.call(X), { mask }));
        const loss = F.cross_entropy(logits.reshape([-1, T.V]), Y);
        loss.backward();
        opt.step();
        return loss.itemSync() as number;
      });
      expect(Math.abs(l - T.losses[step]) / Math.abs(T.losses[step]), `step ${step}: ${l} vs ${T.losses[step]}`).toBeLessThan(1e-6);
    }
  });
  it('training steps keep memory flat (no tensors or bytes left behind per step)', () => {
    const model = new nn.Transformer({ d_model: 8, nhead: 2, num_encoder_layers: 1, num_decoder_layers: 1, dim_feedforward: 16, batch_first: true });
    const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-3 });
    const src = torch.randn([2, 5, 8]), tgt = torch.randn([2, 4, 8]);
    const mask = nn.Transformer.generate_square_subsequent_mask(4);
    const kpm = torch.tensor([[false, false, false, true, true], [false, false, false, false, false]]);
    const step = () => torch.scope(() => {
      opt.zero_grad();
      const y = model.call(src, tgt, { tgt_mask: mask, src_key_padding_mask: kpm, memory_key_padding_mask: kpm });
      y.pow(2).mean().backward();
      opt.step();
    });
    step(); step();
    const m0 = torch.memory();
    for (let i = 0; i < 4; i++) step();
    const m1 = torch.memory();
    expect(m1.tensors).toBe(m0.tensors);
    expect(m1.bytes).toBe(m0.bytes);
  });
});
