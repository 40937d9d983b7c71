// GPU memory is deterministic: dispose, scopes and the backward engine release GPU buffers, the
// pool reuses them, and a training loop keeps torch.memory().gpuBytes flat step after step.
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import { describeGpu } from '../helpers/gpu.js';

describeGpu('webgpu memory', () => {
  it('dispose and scopes release GPU bytes at once', async () => {
    const base = torch.memory().gpuBytes;
    const a = torch.ones([256, 256], { device: 'webgpu' });
    expect(torch.memory().gpuBytes - base).toBe(256 * 256 * 4);
    a.dispose();
    expect(torch.memory().gpuBytes).toBe(base);
    expect(() => a.add(1)).toThrow(/disposed/);
    await expect(a.data()).rejects.toThrow(/disposed/);
    const kept = torch.scope(() => {
      const x = torch.randn([64, 64], { device: 'webgpu' });
      const y = x.mul(2).add(1).exp();
      return y.sum(1);
    });
    expect(torch.memory().gpuBytes - base).toBe(64 * 4);
    kept.dispose();
    expect(torch.memory().gpuBytes).toBe(base);
  });

  it('a training loop keeps GPU memory flat', async () => {
    torch.manual_seed(0);
    const { nn, optim } = torch;
    const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 3 * 3, 10), new nn.LogSoftmax(1)).to('webgpu');
    const opt = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const x = torch.randn([16, 1, 8, 8], { device: 'webgpu' });
    const y = torch.randint(0, 10, [16], { device: 'webgpu' });
    const live: number[] = [], pool: number[] = [], losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      const loss = await torch.scope(async () => {
        opt.zero_grad();
        const l = torch.nn.functional.nll_loss(model.call(x), y);
        l.backward();
        opt.step();
        return l.item();
      });
      losses.push(loss as number);
      const m = torch.memory();
      live.push(m.gpuBytes); pool.push(m.gpuPoolBytes);
    }
    // after the first steps (optimizer state appears at step 1) nothing grows
    expect(new Set(live.slice(2)).size, `live GPU bytes per step: ${live.join(', ')}`).toBe(1);
    expect(Math.max(...pool.slice(10)), `pooled GPU bytes per step: ${pool.join(', ')}`).toBe(Math.max(...pool.slice(2, 10)));
    expect(losses[39]).toBeLessThan(losses[0]);
  });
});
