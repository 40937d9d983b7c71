// The character GPT example (examples/char_gpt/lib.mjs) trained on webgpu for a handful of steps:
// the loss must fall, and follow the CPU run of the same seed (the random batches and the initial
// weights are the same on every device). Tiny sizes: SwiftShader is slow.
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import { describeGpu } from '../helpers/gpu.js';
// @ts-expect-error plain JS module without types
import { train, sample } from '../../examples/char_gpt/lib.mjs';
// @ts-expect-error plain JS module without types
import { readText } from '../../examples/moby_dick.mjs';

describeGpu('char_gpt example on webgpu', () => {
  it('6 AdamW steps of a tiny GPT: the loss falls, as on the CPU; it samples on the GPU', async () => {
    const text = readText().slice(0, 20_000);
    const opts = { n_layer: 1, n_head: 2, n_embd: 16, block_size: 8, batch_size: 4, max_iters: 6, learning_rate: 2e-2, eval_interval: 0, log_interval: 1 };
    const gpu = await train(torch, text, opts, { device: 'webgpu', log: () => {} });
    const cpu = await train(torch, text, opts, { device: 'cpu', log: () => {} });
    const out = `webgpu ${gpu.losses.map((l: number) => l.toFixed(4))}\ncpu    ${cpu.losses.map((l: number) => l.toFixed(4))}`;
    expect(gpu.model.lm_head.weight.device.type).toBe('webgpu');
    expect(gpu.losses.length).toBe(6);
    expect(Math.abs(gpu.losses[0] - Math.log(gpu.vocab.size)), out).toBeLessThan(0.2);
    expect(gpu.losses[5], out).toBeLessThan(gpu.losses[0] - 0.5);
    for (let i = 0; i < 6; i++) expect(Math.abs(gpu.losses[i] - cpu.losses[i]), out).toBeLessThan(2e-3);
    if ('multinomial' in torch && 'topk' in torch) {
      // sampling on the GPU: top-k and multinomial there
      const s = await sample(torch, gpu.model, gpu.vocab, { start: 'a', max_new_tokens: 4, top_k: 5, device: 'webgpu' });
      expect([...s].length).toBe(5);
      for (const ch of s) expect(gpu.vocab.stoi.has(ch)).toBe(true);
    }
  }, 300_000);
});
