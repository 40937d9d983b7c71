// optim.LBFGS on webgpu: the vectors stay on the GPU, the steering scalars are read back
// asynchronously, so step(closure) returns a promise even for a sync closure; the trajectory
// follows the CPU's (which test/optim_lbfgs.test.ts checks against PyTorch).
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';
import { describeGpu, gpu } from '../helpers/gpu.js';

describeGpu('LBFGS on webgpu', () => {
  for (const line_search_fn of [null, 'strong_wolfe'] as const) {
    it(`a small regression follows the CPU (line_search_fn ${line_search_fn})`, async () => {
      torch.manual_seed(0);
      const X = torch.randn([8, 3]), Y = X.matmul(torch.tensor([[1], [-2], [0.5]])).add(0.3);
      const w0 = torch.zeros([3, 1]), b0 = torch.zeros([1]);
      const run = async (device: string): Promise<number[]> => {
        const w = (device === 'cpu' ? w0.clone() : gpu(w0)).requires_grad_(), b = (device === 'cpu' ? b0.clone() : gpu(b0)).requires_grad_();
        const x = device === 'cpu' ? X : gpu(X), y = device === 'cpu' ? Y : gpu(Y);
        const opt = new torch.optim.LBFGS([w, b], { lr: 0.5, max_iter: 4, line_search_fn });
        const closure = (): Tensor => { opt.zero_grad(); const l = x.matmul(w).add(b).sub(y).pow(2).mean(); l.backward(); return l; };
        const losses: number[] = [];
        for (let s = 0; s < 2; s++) {
          const r = opt.step(closure) as Tensor | Promise<Tensor>;
          if (device !== 'cpu') expect(r).toBeInstanceOf(Promise);
          losses.push(Number(await (await r).item()));
        }
        expect(w.device.type).toBe(device);
        return [...losses, ...Array.from(await w.data()), ...Array.from(await b.data())];
      };
      const c = await run('cpu'), g = await run('webgpu');
      g.forEach((v, i) => expect(Math.abs(v - c[i])).toBeLessThan(1e-3 * (1 + Math.abs(c[i]))));
    });
  }
});
