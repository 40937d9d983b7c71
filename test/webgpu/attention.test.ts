// Attention and the Transformer layers on webgpu (composite ops, no kernels of their own) against
// the CPU, which test/nn_attention.test.ts checks against PyTorch: outputs and every gradient.
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';
import { describeGpu, gpu, expectGpuClose } from '../helpers/gpu.js';

const { nn } = torch;
const F = nn.functional;
const tol = { atol: 1e-4, rtol: 1e-3 };

/** Runs `run` on CPU copies and webgpu copies of `inputs` (and of the module's parameters), then compares results and gradients. */
async function compare(mk: (() => torch.nn.Module) | null, inputs: Tensor[], run: (m: torch.nn.Module | null, xs: Tensor[], dev: 'cpu' | 'webgpu') => Tensor[]): Promise<void> {
  const mc = mk ? mk().eval() : null, mg = mk ? mk().eval() : null;
  if (mc && mg) { mg.load_state_dict(mc.state_dict()); mg.to('webgpu'); }
  const xc = inputs.map((x) => x.detach().requires_grad_()), xg = inputs.map((x) => gpu(x, true));
  const oc = run(mc, xc, 'cpu'), og = run(mg, xg, 'webgpu');
  for (let i = 0; i < oc.length; i++) await expectGpuClose(og[i], oc[i], `out${i}`, tol);
  const loss = (os: Tensor[]) => os.map((o, i) => o.mul(o).mul(i + 1).sum()).reduce((a, b) => a.add(b));
  loss(oc).backward(); loss(og).backward();
  for (let i = 0; i < xc.length; i++) await expectGpuClose(xg[i].grad!, xc[i].grad!, `grad input${i}`, tol);
  if (mc && mg) {
    const pg = Object.fromEntries(mg.named_parameters());
    for (const [n, p] of mc.named_parameters()) await expectGpuClose(pg[n].grad!, p.grad!, `grad ${n}`, tol);
  }
}
const on = (t: Tensor, dev: 'cpu' | 'webgpu') => (dev === 'cpu' ? t : t.to('webgpu'));

describeGpu('attention on webgpu', () => {
  it('scaled_dot_product_attention: bool mask, float mask, causal', async () => {
    const bmask = torch.tensor([[true, false, true], [true, true, false]]);
    const fmask = torch.randn([2, 3]);
    await compare(null, [torch.randn([2, 2, 3]), torch.randn([2, 3, 3]), torch.randn([2, 3, 2])], (_m, [q, k, v], dev) => [
      F.scaled_dot_product_attention(q, k, v, { attn_mask: on(bmask, dev) }),
      F.scaled_dot_product_attention(q, k, v, { attn_mask: on(fmask, dev), scale: 0.5 }),
      F.scaled_dot_product_attention(q, k, v, { is_causal: true }),
    ]);
  });
  it('MultiheadAttention (kdim/vdim, bias_kv, zero_attn) with key_padding_mask and attn_mask, weights per head', async () => {
    const kpm = torch.tensor([[false, true, false], [false, false, false]]);
    const am = torch.tensor([[false, false, true], [false, true, false]]);
    await compare(() => new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 2, add_bias_kv: true, add_zero_attn: true, batch_first: true }),
      [torch.randn([2, 2, 4]), torch.randn([2, 3, 3]), torch.randn([2, 3, 2])], (m, [q, k, v], dev) => {
        const [o, w] = (m as torch.nn.MultiheadAttention).forward(q, k, v, { key_padding_mask: on(kpm, dev), attn_mask: on(am, dev), average_attn_weights: false });
        return [o, w!];
      });
  });
  it('Transformer (norm_first, gelu) with causal and padding masks', async () => {
    const mask = nn.Transformer.generate_square_subsequent_mask(3);
    const kpm = torch.tensor([[false, false, true], [false, false, false]]);
    await compare(() => new nn.Transformer({ d_model: 4, nhead: 2, num_encoder_layers: 1, num_decoder_layers: 1, dim_feedforward: 6, norm_first: true, activation: 'gelu' }),
      [torch.randn([3, 2, 4]), torch.randn([3, 2, 4])], (m, [src, tgt], dev) => [
        (m as torch.nn.Transformer).forward(src, tgt, { tgt_mask: on(mask, dev), src_key_padding_mask: on(kpm, dev), memory_key_padding_mask: on(kpm, dev) }),
      ]);
  });
  it('generate_square_subsequent_mask on webgpu', async () => {
    const m = nn.Transformer.generate_square_subsequent_mask(3, { device: 'webgpu' });
    expect(m.device.type).toBe('webgpu');
    expect(await m.tolist()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
  });
  it('Transformer training steps keep live GPU memory flat', async () => {
    const model = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, 6, 0.1, { batch_first: true }), 1);
    model.to('webgpu');
    const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-3 });
    const x = torch.randn([2, 3, 4], { device: 'webgpu' });
    const mask = nn.Transformer.generate_square_subsequent_mask(3, { device: 'webgpu' });
    const live: number[] = [];
    for (let step = 0; step < 6; step++) {
      await torch.scope(async () => {
        opt.zero_grad();
        model.call(x, { mask }).pow(2).mean().backward();
        opt.step();
        await torch.webgpu.synchronize();
      });
      live.push(torch.memory().gpuBytes);
    }
    // never above the third step's figure (a tensor left to the collector may go later), flat at the end
    expect(Math.max(...live.slice(2)), `live GPU bytes per step: ${live.join(', ')}`).toBeLessThanOrEqual(live[2]);
    expect(live[5], `live GPU bytes per step: ${live.join(', ')}`).toBe(live[4]);
  });
});
