// torch.distributions on webgpu: log_prob, entropy, their gradients and rsample match the CPU
// (which test/distributions.test.ts checks against PyTorch); samples stay on the GPU.
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';
import { describeGpu, gpu, expectGpuClose } from '../helpers/gpu.js';

const D = torch.distributions;
const tol = { atol: 1e-4, rtol: 1e-3 };

describeGpu('distributions on webgpu', () => {
  const cases: [string, (p: Tensor[]) => InstanceType<typeof D.Normal> | InstanceType<typeof D.Categorical> | InstanceType<typeof D.MultivariateNormal> | InstanceType<typeof D.Bernoulli> | InstanceType<typeof D.Uniform>, () => Tensor[], () => Tensor][] = [
    ['Normal', ([l, s]) => new D.Normal(l, s), () => [torch.randn(3), torch.rand(3).add(0.5)], () => torch.randn(2, 3)],
    ['Uniform', ([lo, hi]) => new D.Uniform(lo, hi), () => [torch.rand(3).sub(2), torch.rand(3).add(1)], () => torch.rand(2, 3).sub(0.5)],
    ['Bernoulli', ([l]) => new D.Bernoulli({ logits: l }), () => [torch.randn(2, 3)], () => torch.tensor([[1, 0, 1], [0, 0, 1]], { dtype: 'float32' })],
    ['Categorical', ([l]) => new D.Categorical({ logits: l }), () => [torch.randn(2, 4)], () => torch.tensor([[3, 0], [1, 2]], { dtype: 'float32' })],
    ['MultivariateNormal', ([l, a]) => new D.MultivariateNormal(l, { scale_tril: a.tril().add(torch.eye(3, { device: a.device }).mul(2)) }), () => [torch.randn(3), torch.rand(3, 3).mul(0.3)], () => torch.randn(4, 3)],
  ];
  for (const [name, make, params, value] of cases) {
    it(`${name}: log_prob, entropy and gradients`, async () => {
      torch.manual_seed(7);
      const ps = params(), v = value();
      const cpuP = ps.map((p) => p.clone().requires_grad_()), gpuP = ps.map((p) => gpu(p, true));
      const dc = make(cpuP), dg = make(gpuP);
      const lc = dc.log_prob(v).sum().add(dc.entropy().sum()), lg = dg.log_prob(gpu(v)).sum().add(dg.entropy().sum());
      await expectGpuClose(lg, lc, `${name} loss`, tol);
      lc.backward(); lg.backward();
      for (let i = 0; i < ps.length; i++) await expectGpuClose(gpuP[i].grad!, cpuP[i].grad!, `${name} grad ${i}`, tol);
    });
  }
  it('samples stay on the device, with the seeded CPU values', async () => {
    const loc = gpu(torch.zeros(2)), scale = gpu(torch.ones(2));
    torch.manual_seed(3); const g = new D.Normal(loc, scale).rsample([5]);
    torch.manual_seed(3); const c = new D.Normal(torch.zeros(2), torch.ones(2)).rsample([5]);
    await expectGpuClose(g, c, 'Normal.rsample', tol);
    const s = new D.Categorical(gpu(torch.tensor([0, 1, 0], { dtype: 'float32' }))).sample([6]);
    expect(s.device.type).toBe('webgpu');
    expect(await s.tolist()).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
