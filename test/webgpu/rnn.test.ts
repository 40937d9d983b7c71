// nn.RNN / LSTM / GRU and the cells on webgpu (GEMMs plus the fused rnn cell kernels) against
// the CPU, which test/nn_rnn.test.ts checks against PyTorch: outputs, final states, gradients.
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';
import { describeGpu, gpu, expectGpuClose } from '../helpers/gpu.js';

const { nn } = torch;
const tol = { atol: 1e-4, rtol: 1e-3 };

async function compare(mk: () => torch.nn.Module, x: Tensor, hx: Tensor[] | null, lstm: boolean, cell = false): Promise<void> {
  const mc = mk(), mg = mk();
  mg.load_state_dict(mc.state_dict());
  mg.to('webgpu');
  const run = (m: torch.nn.Module, xin: Tensor, h: Tensor[] | null): Tensor[] => {
    const arg = h ? (lstm ? [h[0], h[1]] : h[0]) : null;
    const r = m.forward(xin, arg) as unknown;
    if (cell) return lstm ? (r as Tensor[]) : [r as Tensor];
    const [o, hn] = r as [Tensor, Tensor | Tensor[]];
    return [o, ...(Array.isArray(hn) ? hn : [hn])];
  };
  const xc = x.detach().requires_grad_(), xg = gpu(x, true);
  const hc = hx ? hx.map((h) => h.detach().requires_grad_()) : null, hg = hx ? hx.map((h) => gpu(h, true)) : null;
  const oc = run(mc, xc, hc), og = run(mg, xg, hg);
  for (let i = 0; i < oc.length; i++) await expectGpuClose(og[i], oc[i], `out${i}`, tol);
  const loss = (os: Tensor[]) => os.map((o, i) => o.mul(i + 1).sum()).reduce((a, b) => a.add(b));
  loss(oc).backward(); loss(og).backward();
  await expectGpuClose(xg.grad!, xc.grad!, 'grad input', tol);
  if (hc && hg) for (let i = 0; i < hc.length; i++) await expectGpuClose(hg[i].grad!, hc[i].grad!, `grad h${i}`, tol);
  const pg = Object.fromEntries(mg.named_parameters());
  for (const [n, p] of mc.named_parameters()) await expectGpuClose(pg[n].grad!, p.grad!, `grad ${n}`, tol);
}

describeGpu('recurrent layers on webgpu', () => {
  it('LSTM (proj_size, 2 layers, bidirectional, batch_first) with (h0, c0)', async () => {
    await compare(() => new nn.LSTM(3, 5, { num_layers: 2, bidirectional: true, batch_first: true, proj_size: 2 }),
      torch.randn([2, 4, 3]), [torch.randn([4, 2, 2]), torch.randn([4, 2, 5])], true);
  });
  it('LSTM (2 layers, bidirectional, no bias): the whole-batch steps run as one node per layer (lstm_layer)', async () => {
    await compare(() => new nn.LSTM(3, 5, { num_layers: 2, bidirectional: true, bias: false }),
      torch.randn([4, 2, 3]), [torch.randn([4, 2, 5]), torch.randn([4, 2, 5])], true);
    await compare(() => new nn.LSTM(3, 4), torch.randn([5, 3, 3]), null, true);
  });
  it('GRU bidirectional and RNN relu', async () => {
    await compare(() => new nn.GRU(3, 4, { bidirectional: true }), torch.randn([4, 2, 3]), [torch.randn([2, 2, 4])], false);
    await compare(() => new nn.RNN(3, 4, { nonlinearity: 'relu', num_layers: 2 }), torch.randn([4, 2, 3]), null, false);
  });
  it('cells', async () => {
    await compare(() => new nn.LSTMCell(3, 4), torch.randn([2, 3]), [torch.randn([2, 4]), torch.randn([2, 4])], true, true);
    await compare(() => new nn.GRUCell(3, 4), torch.randn([2, 3]), [torch.randn([2, 4])], false, true);
  });
  it('the device of the default zero state follows the input', async () => {
    const m = new nn.GRU(3, 4);
    m.to('webgpu');
    const [out, h] = m.forward(torch.randn([4, 2, 3]).to('webgpu'));
    expect(out.device.type).toBe('webgpu');
    expect(h.device.type).toBe('webgpu');
  });
  it('LSTM over a PackedSequence (unsorted lengths) and clip_grad_norm_', async () => {
    const R = nn.utils.rnn;
    const mc = new nn.LSTM(3, 4, { bidirectional: true }), mg = new nn.LSTM(3, 4, { bidirectional: true });
    mg.load_state_dict(mc.state_dict()); mg.to('webgpu');
    const x = torch.randn([5, 3, 3]);
    const xc = x.detach().requires_grad_(), xg = gpu(x, true);
    const run = (m: torch.nn.Module, xi: Tensor): Tensor[] => {
      const [out, [h, c]] = m.forward(R.pack_padded_sequence(xi, [2, 5, 3], { enforce_sorted: false })) as [torch.nn.utils.rnn.PackedSequence, Tensor[]];
      return [R.pad_packed_sequence(out)[0], h, c];
    };
    const oc = run(mc, xc), og = run(mg, xg);
    for (let i = 0; i < 3; i++) await expectGpuClose(og[i], oc[i], `out${i}`, tol);
    oc.map((o, i) => o.mul(i + 1).sum()).reduce((a, b) => a.add(b)).backward();
    og.map((o, i) => o.mul(i + 1).sum()).reduce((a, b) => a.add(b)).backward();
    await expectGpuClose(xg.grad!, xc.grad!, 'grad input', tol);
    const tc = nn.utils.clip_grad_norm_(mc.parameters(), 0.1), tg = nn.utils.clip_grad_norm_(mg.parameters(), 0.1);
    await expectGpuClose(tg, tc, 'total norm', tol);
    const pg = Object.fromEntries(mg.named_parameters());
    for (const [n, p] of mc.named_parameters()) await expectGpuClose(pg[n].grad!, p.grad!, `clipped grad ${n}`, tol);
  });
});
