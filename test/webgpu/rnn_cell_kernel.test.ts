// The fused LSTM and GRU cell kernels on webgpu (gpu/rnn.ts, gpu/wgsl/rnn.ts) against the CPU
// kernels, which test/rnn_cell_kernel.test.ts checks against the composed gate math: outputs and
// the gradients of every input, contiguous and non-contiguous operands.
import { it } from 'vitest';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';
import { lstm_cell, gru_cell } from '../../ts/nn/functional/rnn.js';
import { describeGpu, gpu, expectGpuClose } from '../helpers/gpu.js';

const tol = { atol: 1e-5, rtol: 1e-4 };

async function compare(fn: (a: Tensor, b: Tensor, s: Tensor) => Tensor[], ins: Tensor[]): Promise<void> {
  const cs = ins.map((t) => t.detach().requires_grad_()), gs = ins.map((t) => gpu(t, true));
  const oc = fn(cs[0], cs[1], cs[2]), og = fn(gs[0], gs[1], gs[2]);
  for (let i = 0; i < oc.length; i++) await expectGpuClose(og[i], oc[i], `out${i}`, tol);
  const ws = oc.map((o) => torch.randn(o.shape));
  oc.map((o, i) => o.mul(ws[i]).sum()).reduce((a, b) => a.add(b)).backward();
  og.map((o, i) => o.mul(gpu(ws[i])).sum()).reduce((a, b) => a.add(b)).backward();
  for (let i = 0; i < cs.length; i++) await expectGpuClose(gs[i].grad!, cs[i].grad!, `grad ${i}`, tol);
}

const lstm = (a: Tensor, b: Tensor, c: Tensor) => lstm_cell(a, b, c);
const gru = (a: Tensor, b: Tensor, h: Tensor) => [gru_cell(a, b, h)];
const r = (...s: number[]) => torch.randn(s).mul(2);

describeGpu('fused recurrent cell kernels on webgpu', () => {
  it('lstm_cell forward and backward', async () => {
    await compare(lstm, [r(3, 28), r(3, 28), r(3, 7)]);
    await compare(lstm, [r(16, 2).t(), r(3, 16).narrow(0, 1, 2), r(4, 2).t()]); // non-contiguous
  });
  it('an empty batch', async () => {
    await compare(lstm, [r(0, 8), r(0, 8), r(0, 2)]);
    await compare(gru, [r(0, 6), r(0, 6), r(0, 2)]);
  });
  it('gru_cell forward and backward', async () => {
    await compare(gru, [r(3, 21), r(3, 21), r(3, 7)]);
    await compare(gru, [r(12, 2).t(), r(3, 12).narrow(0, 1, 2), r(4, 2).t()]);
  });
});
