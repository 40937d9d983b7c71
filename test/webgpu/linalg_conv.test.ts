// Matrix products and convolutions on webgpu, checked against the CPU (which the fixture suites
// check against PyTorch): odd sizes around the tile edges, transposed / sliced / broadcast
// operands read through their strides, every tile config and split-K, and gradients.
import { it, expect, afterEach } from 'vitest';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';
import { describeGpu, gpu, expectGpuClose } from '../helpers/gpu.js';
import { matmulTuning } from '../../gpu/matmul.js';
import { convTuning } from '../../gpu/conv.js';

const F = torch.nn.functional;
const TOL = { atol: 1e-4, rtol: 1e-4 };

torch.manual_seed(0);

afterEach(() => {
  matmulTuning.tile = null;
  matmulTuning.splits = null;
  convTuning.colBytes = 64 * 2 ** 20;
});

/** Runs f on GPU leaves and CPU leaves, backpropagates the same output gradient, compares all. */
async function checkGrad(what: string, inputs: Tensor[], f: (...xs: Tensor[]) => Tensor, tol = TOL): Promise<void> {
  const cpu = inputs.map((t) => t.clone().requires_grad_());
  const gpuIn = inputs.map((t) => gpu(t, true));
  const yc = f(...cpu), yg = f(...gpuIn);
  await expectGpuClose(yg, yc, `${what}: forward`, tol);
  const gy = torch.randn(yc.shape);
  yc.backward(gy);
  yg.backward(gpu(gy));
  for (let i = 0; i < inputs.length; i++) await expectGpuClose(gpuIn[i].grad!, cpu[i].grad!, `${what}: grad ${i}`, tol);
}

describeGpu('webgpu matmul', () => {
  it('mm over odd sizes and K = 0', async () => {
    const sizes = [[1, 1, 1], [7, 33, 65], [130, 7, 33], [65, 130, 1], [1, 65, 130], [33, 1, 7], [3, 0, 4], [0, 5, 3]];
    for (const [m, k, n] of sizes) {
      const a = torch.randn([m, k]), b = torch.randn([k, n]);
      await expectGpuClose(gpu(a).mm(gpu(b)), a.mm(b), `mm ${m}x${k}x${n}`, TOL);
    }
  });

  it('every tile config and split-K give the same result', async () => {
    const a = torch.randn([130, 70]), b = torch.randn([70, 65]);
    const want = a.mm(b);
    const tiles = [{ BM: 128, BN: 128, BK: 8, TM: 8, TN: 8 }, { BM: 64, BN: 64, BK: 16, TM: 4, TN: 4 }, { BM: 32, BN: 32, BK: 16, TM: 4, TN: 4 }];
    for (const tile of tiles) {
      for (const splits of [1, 3, 70]) {
        matmulTuning.tile = tile; matmulTuning.splits = splits;
        await expectGpuClose(gpu(a).mm(gpu(b)), want, `tile ${tile.BM} splits ${splits}`, TOL);
        await expectGpuClose(gpu(b).t().mm(gpu(a).t()), want.t(), `transposed, tile ${tile.BM} splits ${splits}`, TOL);
      }
    }
  });

  it('the automatic split-K path (small output, long K)', async () => {
    const a = torch.randn([5, 3000]), b = torch.randn([3000, 6]);
    await expectGpuClose(gpu(a).mm(gpu(b)), a.mm(b), 'split-K', { atol: 1e-3, rtol: 1e-4 });
  });

  it('transposed, sliced and broadcast operands are read through their strides', async () => {
    const a = torch.randn([9, 7]), b = torch.randn([11, 9]);
    const cases: [string, (x: Tensor, y: Tensor) => Tensor][] = [
      ['a^T b^T', (x, y) => x.t().mm(y.t())],
      ['slices', (x, y) => x.index('1:8', '2:').mm(y.index('3:8', '::2'))],
      ['expanded', (x, y) => x.index(0).unsqueeze(0).expand([4, 7]).mm(y.index('2:9'))],
      ['batched transposes', (x, y) => x.unsqueeze(0).expand([3, 9, 7]).transpose(1, 2).matmul(y.t().index(':', '2:9'))],
    ];
    for (const [what, f] of cases) await expectGpuClose(f(gpu(a), gpu(b)), f(a, b), what, TOL);
  });

  it('bmm and matmul broadcasting, 1-D operands, dot, outer', async () => {
    const pairs: [number[], number[]][] = [
      [[3, 4, 5], [3, 5, 2]], [[2, 3, 5, 4], [4, 6]], [[5], [2, 5, 3]], [[2, 1, 4, 5], [3, 5, 2]],
      [[4, 5], [5]], [[5], [5, 3]], [[7], [7]], [[2, 3, 4], [4]], [[1, 4, 33], [65, 33, 7]],
    ];
    for (const [sa, sb] of pairs) {
      const a = torch.randn(sa), b = torch.randn(sb);
      await expectGpuClose(gpu(a).matmul(gpu(b)), a.matmul(b), `matmul ${sa} @ ${sb}`, TOL);
    }
    const a = torch.randn([3, 4, 5]), b = torch.randn([3, 5, 6]);
    await expectGpuClose(torch.bmm(gpu(a), gpu(b)), torch.bmm(a, b), 'bmm', TOL);
    const u = torch.randn([6]), v = torch.randn([4]);
    await expectGpuClose(torch.dot(gpu(u), gpu(u)), torch.dot(u, u), 'dot', TOL);
    await expectGpuClose(torch.outer(gpu(u), gpu(v)), torch.outer(u, v), 'outer', TOL);
    await expectGpuClose(torch.bmm(gpu(torch.randn([2, 3, 0])), gpu(torch.randn([2, 0, 4]))), torch.zeros([2, 3, 4]), 'bmm K=0');
  });

  it('integer matmul wraps as the CPU does (int32, uint8, bool)', async () => {
    const a = torch.randint(-50, 50, [5, 9], { dtype: 'int32' }), b = torch.randint(-50, 50, [9, 3], { dtype: 'int32' });
    await expectGpuClose(gpu(a).mm(gpu(b)), a.mm(b), 'int32');
    const c = torch.randint(0, 256, [4, 6], { dtype: 'uint8' }), d = torch.randint(0, 256, [6, 5], { dtype: 'uint8' });
    await expectGpuClose(gpu(c).mm(gpu(d)), c.mm(d), 'uint8');
    const e = torch.rand([4, 6]).gt(0.6), f = torch.rand([6, 5]).gt(0.6);
    await expectGpuClose(gpu(e).mm(gpu(f)), e.mm(f), 'bool');
    matmulTuning.splits = 3; // the split-K reduction converts too
    await expectGpuClose(gpu(c).mm(gpu(d)), c.mm(d), 'uint8, split K');
    await expectGpuClose(gpu(a).mm(gpu(b)), a.mm(b), 'int32, split K');
  });

  it('addmm with alpha and beta', async () => {
    const i = torch.randn([4, 6]), a = torch.randn([4, 7]), b = torch.randn([7, 6]);
    for (const opts of [{}, { alpha: 2, beta: 0.5 }, { beta: 0 }]) {
      await expectGpuClose(torch.addmm(gpu(i), gpu(a), gpu(b), opts), torch.addmm(i, a, b, opts), `addmm ${JSON.stringify(opts)}`, TOL);
    }
  });

  it('mixing devices is an error', () => {
    const g = torch.ones([2, 2], { device: 'webgpu' }), c = torch.ones([2, 2]);
    expect(() => g.mm(c)).toThrow(/Expected all tensors to be on the same device.*webgpu:0 and cpu/);
    expect(() => c.matmul(g)).toThrow(/same device/);
    expect(() => torch.bmm(g.unsqueeze(0), c.unsqueeze(0))).toThrow(/same device/);
  });

  it('gradients of mm, bmm, matmul, dot, addmm, linear', async () => {
    await checkGrad('mm', [torch.randn([7, 33]), torch.randn([33, 5])], (a, b) => a.mm(b));
    await checkGrad('mm transposed', [torch.randn([33, 7]), torch.randn([5, 33])], (a, b) => a.t().mm(b.t()));
    await checkGrad('bmm', [torch.randn([3, 4, 5]), torch.randn([3, 5, 2])], (a, b) => torch.bmm(a, b));
    await checkGrad('matmul 3-D @ 3-D', [torch.randn([2, 4, 5]), torch.randn([2, 5, 3])], (a, b) => a.matmul(b));
    await checkGrad('dot', [torch.randn([6]), torch.randn([6])], (a, b) => torch.dot(a, b));
    await checkGrad('addmm', [torch.randn([6]), torch.randn([4, 7]), torch.randn([7, 6])], (i, a, b) => torch.addmm(i, a, b, { alpha: 2, beta: 3 }));
    await checkGrad('linear', [torch.randn([5, 8]), torch.randn([3, 8]), torch.randn([3])], (x, w, b) => F.linear(x, w, b));
    await checkGrad('linear 3-D', [torch.randn([2, 5, 8]), torch.randn([3, 8])], (x, w) => F.linear(x, w));
  });

  it('gradients through broadcast batch dims', async () => {
    await checkGrad('matmul broadcast', [torch.randn([2, 3, 4, 5]), torch.randn([5, 6])], (a, b) => a.matmul(b));
    await checkGrad('matmul 1-D', [torch.randn([5]), torch.randn([2, 5, 3])], (a, b) => a.matmul(b));
  });
});

interface ConvCase { x: number[]; w: number[]; bias: boolean; stride?: number | number[]; padding?: number | number[] | 'same' | 'valid'; dilation?: number | number[]; groups?: number }

describeGpu('webgpu conv', () => {
  const conv2dCases: ConvCase[] = [
    { x: [2, 3, 7, 6], w: [4, 3, 3, 3], bias: true },
    { x: [2, 3, 7, 6], w: [4, 3, 3, 2], bias: false, stride: 2, padding: 1 },
    { x: [1, 4, 9, 8], w: [6, 2, 3, 3], bias: true, stride: [2, 1], padding: [2, 1], dilation: 2, groups: 2 },
    { x: [3, 2, 5, 5], w: [3, 2, 2, 2], bias: true, padding: 'same', dilation: [1, 2] },
    { x: [2, 4, 6, 6], w: [4, 1, 3, 3], bias: false, padding: 1, groups: 4 },
    { x: [1, 1, 4, 4], w: [2, 1, 4, 4], bias: true },
  ];
  const args = (c: ConvCase) => ({ stride: c.stride ?? 1, padding: c.padding ?? 0, dilation: c.dilation ?? 1, groups: c.groups ?? 1 });

  it('conv2d forward and input / weight / bias gradients', async () => {
    for (const c of conv2dCases) {
      const ins = [torch.randn(c.x), torch.randn(c.w), ...(c.bias ? [torch.randn([c.w[0]])] : [])];
      await checkGrad(`conv2d ${JSON.stringify(c)}`, ins, (x, w, b) => F.conv2d(x, w, b ?? null, args(c)));
    }
  });

  it('conv2d with batch chunks (weight gradients summed over chunks) and non-contiguous input', async () => {
    convTuning.colBytes = 1; // one sample per chunk
    const x = torch.randn([3, 2, 6, 5]), w = torch.randn([4, 2, 3, 3]), b = torch.randn([4]);
    await checkGrad('conv2d chunked', [x, w, b], (xx, ww, bb) => F.conv2d(xx, ww, bb, { padding: 1 }));
    matmulTuning.splits = 4; // split-K partials added onto the weight gradient of earlier chunks
    await checkGrad('conv2d chunked, split K', [x, w, b], (xx, ww, bb) => F.conv2d(xx, ww, bb, { padding: 1 }));
    matmulTuning.splits = null;
    await checkGrad('conv2d transposed input', [x, w], (xx, ww) => F.conv2d(xx.transpose(2, 3), ww, null, { stride: 2 }));
    convTuning.colBytes = 64 * 2 ** 20;
    // only one gradient wanted: the separate input- and weight-gradient kernels
    const wg = gpu(w, true), wc = w.clone().requires_grad_();
    const gy = torch.randn([3, 4, 4, 3]);
    F.conv2d(gpu(x), wg).backward(gpu(gy));
    F.conv2d(x, wc).backward(gy);
    await expectGpuClose(wg.grad!, wc.grad!, 'weight grad only', TOL);
    const xg = gpu(x, true), xc = x.clone().requires_grad_();
    F.conv2d(xg, gpu(w)).backward(gpu(gy));
    F.conv2d(xc, w).backward(gy);
    await expectGpuClose(xg.grad!, xc.grad!, 'input grad only', TOL);
  });

  it('conv2d gradient of a broadcast output gradient (read through strides)', async () => {
    const x = torch.randn([2, 2, 5, 5]), w = torch.randn([3, 2, 3, 3]);
    const g = torch.randn([1, 3, 1, 3]);
    const xg = gpu(x, true), wg = gpu(w, true), xc = x.clone().requires_grad_(), wc = w.clone().requires_grad_();
    F.conv2d(xg, wg).backward(gpu(g).expand([2, 3, 3, 3]));
    F.conv2d(xc, wc).backward(g.expand([2, 3, 3, 3]));
    await expectGpuClose(xg.grad!, xc.grad!, 'input grad', TOL);
    await expectGpuClose(wg.grad!, wc.grad!, 'weight grad', TOL);
  });

  it('conv1d, unbatched input, conv_transpose2d', async () => {
    await checkGrad('conv1d', [torch.randn([2, 4, 11]), torch.randn([6, 2, 3]), torch.randn([6])],
      (x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2, groups: 2 }));
    await checkGrad('conv1d unbatched', [torch.randn([3, 9]), torch.randn([2, 3, 4])], (x, w) => F.conv1d(x, w, null, { padding: 'same' }));
    await checkGrad('conv2d unbatched', [torch.randn([2, 5, 5]), torch.randn([3, 2, 2, 2])], (x, w) => F.conv2d(x, w));
    await checkGrad('conv_transpose2d', [torch.randn([2, 4, 4, 3]), torch.randn([4, 3, 3, 2]), torch.randn([6])],
      (x, w, b) => F.conv_transpose2d(x, w, b, { stride: 2, padding: 1, output_padding: 1, groups: 2 }));
  });

  it('double backward: the gradient of an input gradient', async () => {
    const x = torch.randn([1, 2, 5, 5]), w = torch.randn([3, 2, 3, 3]);
    const run = async (dev: boolean) => {
      const xx = dev ? gpu(x, true) : x.clone().requires_grad_(), ww = dev ? gpu(w, true) : w.clone().requires_grad_();
      const y = F.conv2d(xx, ww, null, { padding: 1 });
      const [gx] = torch.autograd.grad([y.mul(y).sum()], [xx], { create_graph: true });
      gx.mul(gx).sum().backward();
      return [gx, ww.grad!];
    };
    const [gxg, gwg] = await run(true), [gxc, gwc] = await run(false);
    await expectGpuClose(gxg, gxc, 'first gradient', { atol: 1e-3, rtol: 1e-4 });
    await expectGpuClose(gwg, gwc, 'second-order weight gradient', { atol: 1e-2, rtol: 1e-4 });
  });

  it('errors: mixed devices, float64', () => {
    const x = torch.randn([1, 2, 5, 5]), w = torch.randn([3, 2, 3, 3]);
    expect(() => F.conv2d(gpu(x), w)).toThrow(/Expected all tensors to be on the same device.*webgpu:0 and cpu/);
    expect(() => F.conv2d(x, gpu(w))).toThrow(/same device/);
    expect(() => F.conv2d(gpu(x), gpu(w), torch.randn([3]))).toThrow(/same device/);
  });
});

describeGpu('webgpu nn modules', () => {
  it('nn.Linear and nn.Conv2d moved to webgpu train like on the CPU', async () => {
    torch.manual_seed(1);
    const make = () => new torch.nn.Sequential(
      new torch.nn.Conv2d(2, 4, 3, { padding: 1 }), new torch.nn.ReLU(), new torch.nn.Flatten(), new torch.nn.Linear(4 * 6 * 6, 5));
    const cpuNet = make();
    const gpuNet = make();
    gpuNet.load_state_dict(cpuNet.state_dict());
    gpuNet.to('webgpu');
    const x = torch.randn([3, 2, 6, 6]), gy = torch.randn([3, 5]);
    const yc = cpuNet.forward(x), yg = gpuNet.forward(gpu(x));
    await expectGpuClose(yg, yc, 'forward', TOL);
    yc.backward(gy);
    yg.backward(gpu(gy));
    const pc = cpuNet.parameters(), pg = gpuNet.parameters();
    for (let i = 0; i < pc.length; i++) await expectGpuClose(pg[i].grad!, pc[i].grad!, `parameter ${i} grad`, TOL);
  });
});
