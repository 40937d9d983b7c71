// Issue 17 on webgpu: advanced indexing, index_put_ and the in-place activations run on the GPU
// backend too (they are composites of existing ops).
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import { describeGpu } from '../helpers/gpu.js';
import { collected } from '../helpers/collected.js';

const read = async (t: torch.Tensor) => Array.from(await t.data());

describeGpu('leak check on webgpu: einsum, diagonals, baddbmm, distances, pixel shuffle', () => {
  it('live GPU tensors and bytes stay the same step after step', async () => {
    const F = torch.nn.functional;
    const w = torch.randn(3, 4).to('webgpu').requires_grad_();
    const step = () => torch.scope(() => {
      const x = torch.randn(2, 3, 4).to('webgpu');
      const y = torch.einsum('bij,jk->bik', x, w.t()).sum()
        .add(torch.diagonal(w, 1).sum()).add(torch.diag_embed(w).sum())
        .add(torch.baddbmm(torch.zeros(2, 3, 3).to('webgpu'), x, w.t().expand(2, 4, 3)).sum())
        .add(F.cosine_similarity(w, w.flip(0)).sum())
        .add(F.pixel_shuffle(w.reshape(1, 4, 3, 1), 2).sum());
      y.backward();
    });
    step();
    // first in the file, and the collector run before each sample: other tests' GPU tensors, not yet
    // collected, would otherwise count (they did, at random)
    await torch.webgpu.synchronize(); await collected();
    const m0 = torch.memory();
    for (let i = 0; i < 5; i++) step();
    await torch.webgpu.synchronize(); await collected();
    const m1 = torch.memory();
    expect([m1.gpuTensors, m1.gpuBytes]).toEqual([m0.gpuTensors, m0.gpuBytes]);
  });
});

describeGpu('issue 17 on webgpu', () => {
  it('index with int tensors, a CPU mask, and their gradients', async () => {
    const x = torch.arange(12, { dtype: 'float32' }).reshape(3, 4).to('webgpu').requires_grad_();
    const y = x.index(torch.tensor([2, -3]), torch.tensor([1, 3]));
    expect(y.device.toString()).toContain('webgpu');
    expect(await read(y)).toEqual([9, 3]);
    y.sum().backward();
    expect(await read(x.grad!)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
    const m = x.detach().index(torch.tensor([true, false, true]));
    expect(m.shape).toEqual([2, 4]);
    expect(await read(m)).toEqual([0, 1, 2, 3, 8, 9, 10, 11]);
    const g = x.detach().index(torch.tensor([0, 2]).to('webgpu'));
    expect(await read(g)).toEqual([0, 1, 2, 3, 8, 9, 10, 11]);
    expect(() => x.index(torch.tensor([true, false, true]).to('webgpu'))).toThrow(/reading webgpu values back is asynchronous/);
  });
  it('index_put_ with accumulate', async () => {
    const z = torch.zeros(5).to('webgpu');
    z.index_put_([torch.tensor([0, 0, 3])], torch.tensor([1, 2, 3], { dtype: 'float32' }).to('webgpu'), { accumulate: true });
    expect(await read(z)).toEqual([3, 0, 0, 3, 0]);
  });
  it('in-place leaky_relu backward', async () => {
    const x = torch.tensor([-1, 2], { dtype: 'float32' }).to('webgpu').requires_grad_();
    torch.nn.functional.leaky_relu(x.add(0), 0.5, true).sum().backward();
    expect(await read(x.grad!)).toEqual([0.5, 1]);
  });
});

describeGpu('t.data on webgpu', () => {
  it('is a detached GPU view that reads when called', async () => {
    const p = torch.tensor([1, 2, 3], { dtype: 'float32' }).to('webgpu').requires_grad_();
    p.mul(p).sum().backward();
    p.data.add_(p.grad!.data, { alpha: -0.5 });
    expect(p.data.device.toString()).toContain('webgpu');
    expect(p.data.requires_grad).toBe(false);
    expect(await read(p)).toEqual([0, 0, 0]);
    expect(Array.from(await p.data())).toEqual([0, 0, 0]);
    expect(await read(torch.add(p.data, 1))).toEqual([1, 1, 1]);
    expect(() => p.data.dataSync()).toThrow(/asynchronous/);
  });
});
