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

describeGpu('webgpu memory: what torch.memory() counts', () => {
  it('gpuTensors, gpuBytes, gpuPoolBytes, gpuBuffers and gpuReservedBytes follow a tensor from creation to empty_cache', async () => {
    torch.webgpu.empty_cache();
    const m0 = torch.memory();
    expect(m0.gpuPoolBytes).toBe(0);
    const a = torch.ones([1000], { device: 'webgpu' }); // 4000 bytes in a 4096-byte buffer
    await torch.webgpu.synchronize(); // the op's temporary buffers (uniforms) join the pool once submitted
    const m1 = torch.memory();
    expect([m1.gpuTensors - m0.gpuTensors, m1.gpuBytes - m0.gpuBytes]).toEqual([1, 4000]);
    // every buffer held is the tensor's or the pool's
    expect(m1.gpuReservedBytes - m1.gpuPoolBytes - m0.gpuReservedBytes).toBe(4096);
    expect(torch.webgpu.memory_reserved()).toBe(m1.gpuReservedBytes);
    a.dispose();
    expect([torch.memory().gpuTensors, torch.memory().gpuBytes]).toEqual([m0.gpuTensors, m0.gpuBytes]);
    await torch.webgpu.synchronize(); // the buffer joins the pool once recorded commands are submitted
    const m2 = torch.memory();
    expect([m2.gpuBuffers, m2.gpuReservedBytes]).toEqual([m1.gpuBuffers, m1.gpuReservedBytes]);
    expect(m2.gpuPoolBytes - m1.gpuPoolBytes).toBe(4096);
    torch.webgpu.empty_cache();
    const m3 = torch.memory();
    expect([m3.gpuPoolBytes, m3.gpuBuffers, m3.gpuReservedBytes]).toEqual([0, m0.gpuBuffers, m0.gpuReservedBytes]);
  });
});
