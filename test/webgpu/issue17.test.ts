// Issue 17 on webgpu: advanced indexing, index_put_ and the in-place activations run on the GPU
// backend too (they are composites of existing ops).
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import { describeGpu } from '../helpers/gpu.js';

const read = async (t: torch.Tensor) => Array.from(await t.data());

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
