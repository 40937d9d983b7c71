// Sparse COO tensors are CPU-only: on webgpu each entry point refuses with an error naming the op.
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import { describeGpu, gpu } from '../helpers/gpu.js';

describeGpu('sparse COO tensors on webgpu', () => {
  it('to_sparse, sparse_coo_tensor, sparse.mm and .to(webgpu) refuse with the op named', () => {
    const i = torch.tensor([[0, 1], [1, 0]]), v = torch.tensor([1, 2], { dtype: 'float32' });
    expect(() => gpu(torch.eye(2)).to_sparse()).toThrow('to_sparse: sparse COO tensors are supported on the CPU (wasm) backend only, got a tensor on webgpu');
    expect(() => torch.sparse_coo_tensor(i, gpu(v), [2, 2])).toThrow('sparse_coo_tensor: sparse COO tensors are supported on the CPU (wasm) backend only, got a tensor on webgpu');
    const s = torch.sparse_coo_tensor(i, v, [2, 2]);
    expect(() => torch.sparse.mm(s, gpu(torch.ones(2, 3)))).toThrow('sparse.mm: sparse COO tensors are supported on the CPU (wasm) backend only, got a tensor on webgpu');
    expect(() => s.to('webgpu')).toThrow('to(): sparse COO tensors are supported on the CPU (wasm) backend only, got device webgpu');
  });
});
