// Device semantics and the elementwise kernels on webgpu, checked against the CPU.
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import { describeGpu, gpu, expectGpuClose } from '../helpers/gpu.js';

describeGpu('webgpu device', () => {
  it('moves tensors and reads them back asynchronously', async () => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    const g = x.to('webgpu');
    expect(g.device.type).toBe('webgpu');
    expect(String(g.device)).toBe('webgpu');
    expect(await g.tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(() => g.dataSync()).toThrow(/webgpu.*await t\.data\(\)/);
    expect(() => g.itemSync()).toThrow(/await t\.item\(\)/);
    expect(() => g.to('cpu')).toThrow(/await t\.cpu\(\)/);
    const back = await g.cpu();
    expect(back.device.type).toBe('cpu');
    expect(back.tolist()).toBeUndefined; // sync reader works again on the CPU copy
    expect(back.tolistSync()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });
  it('mixing devices is PyTorch\'s error; 0-dim CPU tensors are allowed', async () => {
    const g = torch.ones([3], { device: 'webgpu' });
    expect(() => g.add(torch.ones([3]))).toThrow(/Expected all tensors to be on the same device, but found at least two devices, webgpu:0 and cpu/);
    expect(await g.add(torch.tensor(2)).tolist()).toEqual([3, 3, 3]);
  });
  it('creation ops take { device }', async () => {
    expect((await torch.zeros([2, 2], { device: 'webgpu' }).tolist())).toEqual([[0, 0], [0, 0]]);
    expect(torch.arange(5, { device: torch.device('webgpu') }).device.type).toBe('webgpu');
    const z = torch.zeros_like(torch.ones([2], { device: 'webgpu' }));
    expect(z.device.type).toBe('webgpu');
    expect(() => torch.zeros([2], { device: 'webgpu', dtype: 'float64' })).toThrow(/float64/);
    expect(() => torch.device('cuda')).toThrow(/CUDA/);
  });
  it('elementwise ops match the CPU, with broadcasting and strides', async () => {
    const a = torch.randn([4, 5]), b = torch.randn([5]);
    for (const f of [(x: torch.Tensor, y: torch.Tensor) => x.add(y), (x: torch.Tensor, y: torch.Tensor) => x.mul(y).sub(2),
      (x: torch.Tensor, y: torch.Tensor) => x.t().div(y.unsqueeze(1)), (x: torch.Tensor, y: torch.Tensor) => x.maximum(y).exp(),
      (x: torch.Tensor) => x.sigmoid().tanh().relu(), (x: torch.Tensor) => x.abs().sqrt().log1p(), (x: torch.Tensor, y: torch.Tensor) => x.pow(2).add(y.gt(0)),
      (x: torch.Tensor, y: torch.Tensor) => x.remainder(y), (x: torch.Tensor, y: torch.Tensor) => x.div(y, { rounding_mode: 'floor' }),
      (x: torch.Tensor) => x.to('int32').mul(3).remainder(4), (x: torch.Tensor) => torch.gelu(x), (x: torch.Tensor) => x.expm1().erf()]) {
      await expectGpuClose(f(gpu(a), gpu(b)), f(a, b), f.toString());
    }
  });
  it('elementwise gradients match the CPU', async () => {
    const a = torch.randn([3, 4]), b = torch.randn([4]);
    const ga = gpu(a, true), gb = gpu(b, true);
    ga.mul(gb).sigmoid().sum().backward();
    const ca = a.clone().requires_grad_(), cb = b.clone().requires_grad_();
    ca.mul(cb).sigmoid().sum().backward();
    await expectGpuClose(ga.grad!, ca.grad!, 'grad a');
    await expectGpuClose(gb.grad!, cb.grad!, 'grad b');
  });
});
