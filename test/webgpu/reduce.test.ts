// Reductions, scans, softmax and the normalization layers on webgpu, checked against the CPU
// (whose results the fixture suites check against PyTorch).
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';
import { describeGpu, gpu, expectGpuClose } from '../helpers/gpu.js';

const F = torch.nn.functional;
type Tol = { atol: number; rtol: number };
type Out = Tensor | Tensor[];
const list = (o: Out): Tensor[] => (Array.isArray(o) ? [...o] : [o]);

/** f on the CPU and on a webgpu copy of the inputs give the same tensors. */
async function same(what: string, f: (...x: Tensor[]) => Out, xs: Tensor[], tol?: Tol): Promise<void> {
  const c = list(f(...xs)), g = list(f(...xs.map((x) => gpu(x))));
  expect(g.length, what).toBe(c.length);
  for (let i = 0; i < c.length; i++) await expectGpuClose(g[i], c[i], `${what} [${i}]`, tol);
}

/** The gradients of sum(f(x) * w) (w random) match on both devices. */
async function sameGrad(what: string, f: (x: Tensor) => Tensor, x: Tensor, tol?: Tol): Promise<void> {
  const cx = x.clone().requires_grad_();
  const cy = f(cx);
  const w = torch.randn(cy.shape);
  cy.mul(w).sum().backward();
  const gx = gpu(x, true);
  const gy = f(gx);
  await expectGpuClose(gy, cy.detach(), `${what} forward`, tol);
  gy.mul(gpu(w)).sum().backward();
  await expectGpuClose(gx.grad!, cx.grad!, `${what} grad`, tol);
}

/** The same [4, 6, 5] values laid out four ways: contiguous, permuted, broadcast, offset + strided. */
function layouts(): [string, Tensor][] {
  const base = torch.randn([4, 6, 5]);
  return [
    ['contiguous', base],
    ['permuted', torch.randn([5, 6, 4]).permute(2, 1, 0)],
    ['broadcast', torch.randn([4, 1, 5]).expand([4, 6, 5])],
    ['offset+strided', torch.randn([5, 6, 10]).narrow(0, 1, 4).index(':', ':', '::2')],
  ];
}

const DIMS: (number | number[] | undefined)[] = [undefined, 0, 1, -1, [0, 2], [1, 2], [0, 1, 2], []];

describeGpu('webgpu reductions', () => {
  it('sum, mean, prod, amax, amin over dim None / int / list, keepdim, any layout', async () => {
    for (const [name, x] of layouts()) {
      for (const dim of DIMS) {
        for (const keep of [false, true]) {
          const tag = `${name} dim=${JSON.stringify(dim)} keepdim=${keep}`;
          const ops: [string, (t: Tensor) => Tensor][] = [
            ['sum', (t) => (dim === undefined ? t.sum() : t.sum(dim, keep))],
            ['mean', (t) => (dim === undefined ? t.mean() : t.mean(dim, keep))],
            ['prod', (t) => (dim === undefined ? t.prod() : t.prod(typeof dim === 'number' ? dim : (dim as number[])[0] ?? 0, keep))],
            ['amax', (t) => (dim === undefined ? t.amax() : t.amax(dim, keep))],
            ['amin', (t) => (dim === undefined ? t.amin() : t.amin(dim, keep))],
          ];
          for (const [op, f] of ops) await same(`${op} ${tag}`, f, [x]);
        }
      }
    }
  });

  it('max / min / argmax / argmin: values and indices, dim None / int, keepdim', async () => {
    for (const [name, x] of layouts()) {
      await same(`max() ${name}`, (t) => t.max(), [x]);
      await same(`min() ${name}`, (t) => t.min(), [x]);
      await same(`argmax() ${name}`, (t) => t.argmax(), [x]);
      await same(`argmin() keepdim ${name}`, (t) => torch.argmin(t, null, true), [x]);
      for (const d of [0, 1, 2, -1]) {
        for (const keep of [false, true]) {
          await same(`max(${d}, ${keep}) ${name}`, (t) => { const r = t.max(d, keep); return [r.values, r.indices]; }, [x]);
          await same(`min(${d}, ${keep}) ${name}`, (t) => { const r = t.min(d, keep); return [r.values, r.indices]; }, [x]);
          await same(`argmax(${d}, ${keep}) ${name}`, (t) => t.argmax(d, keep), [x]);
          await same(`argmin(${d}, ${keep}) ${name}`, (t) => t.argmin(d, keep), [x]);
        }
      }
    }
  });

  it('ties pick the first index, NaN propagates (and its first index wins), infinities', async () => {
    const nan = NaN, inf = Infinity;
    const x = torch.tensor([[1, 3, 3, 0], [nan, 2, nan, 5], [-inf, -inf, -inf, -inf], [2, 2, 2, 2], [inf, 1, inf, nan], [0, -0, 0, 0]]);
    for (const d of [0, 1]) {
      await same(`max(${d})`, (t) => { const r = t.max(d); return [r.values, r.indices]; }, [x]);
      await same(`min(${d})`, (t) => { const r = t.min(d); return [r.values, r.indices]; }, [x]);
      await same(`argmax(${d})`, (t) => t.argmax(d), [x]);
      await same(`argmin(${d})`, (t) => t.argmin(d), [x]);
      await same(`amax(${d})`, (t) => t.amax(d), [x]);
    }
    await same('max()', (t) => t.max(), [x]);
    await same('argmax() with NaN', (t) => t.argmax(), [x]);
    await same('sum with inf and NaN', (t) => t.sum(1), [x]);
  });

  it('long reductions are split into chunks: extremes, ties and NaN across chunks', async () => {
    const n = 20000;
    const v = torch.randn([n]);
    await same('argmax long', (t) => [t.argmax(), t.amax(), t.argmin()], [v]);
    const at = (vals: Record<number, number>, fill = () => 0) => torch.tensor(Array.from({ length: n }, (_, i) => vals[i] ?? fill()));
    const ties = at({ 15000: 7, 3000: 7, 9000: 7 });
    await same('tie across chunks', (t) => [t.argmax(), t.argmin()], [ties]);
    const nans = at({ 17000: NaN, 5000: NaN }, Math.random);
    await same('NaN across chunks', (t) => { const r = t.max(0); return [r.values, r.indices, t.argmin(), t.amin()]; }, [nans]);
    const m = torch.randn([3, 7000, 2]);
    await same('chunked middle dim', (t) => { const r = t.min(1); return [t.sum(1), r.values, r.indices, t.mean([0, 1])]; }, [m], { atol: 1e-3, rtol: 1e-4 });
    await same('chunked transposed', (t) => t.t().sum(0), [torch.randn([5000, 3])], { atol: 1e-3, rtol: 1e-4 });
  });

  it('float32 sums are accurate over a million elements (tree, not one serial loop)', async () => {
    const x = torch.full([1_000_000], 0.1, { device: 'webgpu' });
    expect(Math.abs((await x.sum().item() as number) - 100000)).toBeLessThan(0.05);
    expect(Math.abs((await x.mean().item() as number) - 0.1)).toBeLessThan(1e-6);
    const rows = torch.full([4, 300000], 0.1, { device: 'webgpu' });
    for (const s of await rows.sum(1).tolist() as number[]) expect(Math.abs(s - 30000)).toBeLessThan(0.01);
    for (const s of await rows.t().sum(0).tolist() as number[]) expect(Math.abs(s - 30000)).toBeLessThan(0.01);
  });

  it('int32, uint8 and bool inputs', async () => {
    const i = torch.randn([5, 7]).mul(5).round().to('int32');
    const u = torch.randn([5, 7]).abs().mul(40).to('uint8');
    const b = torch.randn([5, 7]).gt(0);
    for (const [name, x] of [['int32', i], ['uint8', u], ['bool', b]] as [string, Tensor][]) {
      await same(`sum ${name}`, (t) => [t.sum(), t.sum(0), t.sum([0, 1], true), t.t().sum(1)], [x]);
      await same(`prod ${name}`, (t) => [t.prod(1), t.narrow(1, 0, 3).prod()], [x]);
      await same(`amax/amin ${name}`, (t) => [t.amax(), t.amax(1), t.amin(0, true)], [x]);
      await same(`max/min dim ${name}`, (t) => { const a = t.max(1), c = t.min(0); return [a.values, a.indices, c.values, c.indices, t.max()]; }, [x]);
      // argmax/argmin of bool raise, as in PyTorch ("argmax_cpu" not implemented for 'Bool')
      if (name === 'bool') expect(() => gpu(x).argmax()).toThrow(/argmax_cpu" not implemented for 'Bool'/);
      else await same(`argmax ${name}`, (t) => [t.argmax(), t.argmin(1)], [x]);
      await same(`all/any ${name}`, (t) => [t.all(), t.any(), t.all(1), t.any(0, true)], [x]);
      await same(`cumsum ${name}`, (t) => [t.cumsum(0), t.cumsum(1), t.cumsum(1, { dtype: 'float32' })], [x]);
    }
    await same('sum dtype', (t) => [t.sum({ dim: 1, dtype: 'float32' }), t.sum({ dtype: 'int32' })], [i]);
    await same('sum dtype from float', (t) => t.mul(10).sum({ dim: 0, dtype: 'int32' }), [torch.randn([5, 3])]);
    await same('int overflow wraps as on the CPU', (t) => [t.sum(), t.prod()], [torch.tensor([2147483647, 1, 65536, 65536], { dtype: 'int32' })]);
    expect(() => gpu(i).mean()).toThrow(/mean\(\): could not infer output dtype.*Got: Int/);
    expect(() => gpu(i).var()).toThrow(/std and var only support floating point/);
  });

  it('all / any of float, uint8 and bool inputs', async () => {
    const x = torch.tensor([[0, 1, 2], [3, 4, 5], [0, 0, 0], [NaN, 0, 0]]);
    await same('float all/any', (t) => [t.all(), t.any(), t.all(1), t.any(1), t.all(0, true), t.any(0, true)], [x]);
    await same('uint8 keeps uint8', (t) => [t.all(1), t.any()], [torch.tensor([[0, 1, 2], [3, 4, 5], [0, 0, 0], [9, 0, 0]], { dtype: 'uint8' })]);
  });

  it('var, std, logsumexp, norm', async () => {
    for (const [name, x] of layouts()) {
      await same(`var/std ${name}`, (t) => [t.var(), t.var(1), t.var([0, 2], { correction: 0, keepdim: true }), t.std(), t.std(-1, false), t.std([1, 2], { unbiased: false })], [x]);
      await same(`logsumexp ${name}`, (t) => [t.logsumexp(1), t.logsumexp([0, 2], true), t.logsumexp(-1)], [x]);
      for (const p of [2, 1, 3, 0, Infinity, -Infinity, 'fro', 0.5]) {
        await same(`norm p=${p} ${name}`, (t) => [t.norm(p as number), t.norm(p as number, 1), t.norm(p as number, [0, 2], true)], [x]);
      }
    }
    const inf = Infinity;
    await same('logsumexp with infinities', (t) => t.logsumexp(1), [torch.tensor([[-inf, 1], [inf, 1], [inf, inf], [NaN, 1], [1000, 1000], [-inf, -1000]])]);
    await same('logsumexp of int', (t) => t.logsumexp(0), [torch.tensor([1, 2, 3], { dtype: 'int32' })]);
  });

  it('cumsum: short and long rows, inner dims, offsets, 0-d', async () => {
    await same('cumsum short', (t) => [t.cumsum(0), t.cumsum(1), t.cumsum(-1)], [torch.randn([6, 5])], { atol: 1e-5, rtol: 1e-4 });
    await same('cumsum long rows', (t) => [t.cumsum(1), t.cumsum(0)], [torch.randn([3, 1000])], { atol: 1e-3, rtol: 1e-4 });
    await same('cumsum long inner dim', (t) => t.cumsum(1), [torch.randn([2, 700, 3])], { atol: 1e-3, rtol: 1e-4 });
    await same('cumsum non-contiguous', (t) => [t.t().cumsum(0), t.narrow(0, 1, 3).cumsum(1)], [torch.randn([5, 300])], { atol: 1e-3, rtol: 1e-4 });
    await same('cumsum int long', (t) => t.cumsum(0), [torch.randn([500]).mul(10).round().to('int32')]);
    await same('cumsum 0-d', (t) => t.cumsum(0), [torch.tensor(2.5)]);
  });

  it('softmax and log_softmax', async () => {
    for (const [name, x] of layouts()) {
      for (const d of [0, 1, -1]) await same(`softmax(${d}) ${name}`, (t) => [t.softmax(d), t.log_softmax(d), F.softmax(t, d), F.log_softmax(t, d)], [x]);
    }
    await same('softmax with -inf', (t) => [t.softmax(1), t.log_softmax(1)], [torch.tensor([[-Infinity, 0, 1], [5, -Infinity, 5]])]);
    // softmax of int raises, as in PyTorch 1.13
    expect(() => gpu(torch.tensor([1, 2, 3], { dtype: 'int32' })).softmax(0)).toThrow(/"softmax_lastdim_kernel_impl" not implemented for 'Int'/);
  });

  it('0-d tensors', async () => {
    const s = torch.tensor(3.5);
    await same('0-d', (t) => [t.sum(), t.sum(0), t.mean(-1, true), t.prod(0), t.amax(0), t.argmax(), t.norm(), t.logsumexp(0)], [s]);
    await same('0-d max(dim)', (t) => { const r = t.max(0); return [r.values, r.indices]; }, [s]);
    await same('0-d all/any', (t) => [t.all(), t.any(0)], [torch.tensor(0)]);
  });

  it('empty tensors', async () => {
    const e = torch.zeros([0, 3]);
    await same('empty sum/prod/mean', (t) => [t.sum(), t.sum(0), t.sum(1), t.sum(0, true), t.prod(0), t.prod(), t.mean(0), t.mean()], [e]);
    await same('empty extremes along a non-empty dim', (t) => { const r = t.max(1); return [t.amax(1), r.values, r.indices, t.argmin(1)]; }, [e]);
    await same('empty bool', (t) => [t.all(), t.any(), t.all(0), t.any(0, true), t.all(1)], [e.gt(0)]);
    await same('empty misc', (t) => [t.cumsum(0), t.cumsum(1), t.var(0), t.norm(), t.logsumexp(1), t.softmax(1), t.log_softmax(1), t.norm(3, 1)], [e]);
    await same('empty int', (t) => [t.sum(0), t.cumsum(1)], [e.to('int32')]);
    // logsumexp over an empty dim is log(0) = -inf; SwiftShader's log(0) is -88, so only its shape is checked
    const lse = gpu(e).logsumexp(0);
    expect([lse.shape, lse.device.type]).toEqual([[3], 'webgpu']);
    const g = gpu(e);
    expect(() => g.amax(0)).toThrow(/Expected reduction dim 0 to have non-zero size/);
    expect(() => g.max()).toThrow(/Expected reduction dim to be specified for input.numel\(\) == 0/);
    expect(() => g.argmax()).toThrow(/Expected reduction dim to be specified/);
    expect(() => g.argmax(0)).toThrow(/Expected reduction dim 0 to have non-zero size/);
    expect(() => g.max(0)).toThrow(/Expected reduction dim 0 to have non-zero size/);
  });

  it('float64 has no GPU form: a clear error naming the op', () => {
    expect(() => torch.ones([3], { device: 'webgpu' }).sum({ dtype: 'float64' })).toThrow(/float64/);
  });

  it('gradients', async () => {
    const x = torch.randn([4, 5]);
    const withZeros = torch.tensor([[1, 0, 3, 4], [0, 2, 0, 5], [1.5, 2, -1, 0.5]]);
    const ties = torch.tensor([[1, 3, 3, 0], [2, 2, 2, 2], [5, 1, 0, 5]], { dtype: 'float32' });
    const cases: [string, (t: Tensor) => Tensor, Tensor][] = [
      ['sum', (t) => t.sum(), x], ['sum(1)', (t) => t.sum(1), x], ['sum([0,1], keep)', (t) => t.sum([0, 1], true), x],
      ['sum of transpose', (t) => t.t().sum(0), x],
      ['mean', (t) => t.mean(), x], ['mean(0, keep)', (t) => t.mean(0, true), x],
      ['prod', (t) => t.prod(), x], ['prod(1) with zeros', (t) => t.prod(1), withZeros], ['prod(0) with zeros', (t) => t.prod(0, true), withZeros],
      ['amax ties', (t) => t.amax(1), ties], ['amin ties', (t) => t.amin(), ties], ['max() ties', (t) => t.max(), ties],
      ['max(1)', (t) => t.max(1).values, x], ['min(0, keep)', (t) => t.min(0, true).values, x], ['max(1) ties', (t) => t.max(1).values, ties],
      ['var', (t) => t.var(1), x], ['var(None, correction 0)', (t) => t.var(null as unknown as number, { correction: 0 }), x], ['std', (t) => t.std(0), x],
      ['logsumexp', (t) => t.logsumexp(1), x], ['logsumexp keep', (t) => t.logsumexp([0, 1], true), x],
      ['norm', (t) => t.norm(), x], ['norm(2, 1) zero row', (t) => t.norm(2, 1), torch.tensor([[0, 0], [3, 4.5]])], ['norm(3, 0)', (t) => t.norm(3, 0), x],
      ['norm(inf)', (t) => t.norm(Infinity, 1), x], ['norm(1)', (t) => t.norm(1), x],
      ['cumsum(1)', (t) => t.cumsum(1), x], ['cumsum(0) long', (t) => t.cumsum(0), torch.randn([200, 2])],
      ['softmax', (t) => t.softmax(1), x], ['log_softmax', (t) => t.log_softmax(0), x],
    ];
    for (const [what, f, v] of cases) await sameGrad(what, f, v, { atol: 1e-4, rtol: 1e-4 });
  });
});

describeGpu('webgpu normalization layers', () => {
  const tol = { atol: 1e-4, rtol: 1e-4 };

  it('batch_norm training: output, running statistics and gradients (2-D and 4-D)', async () => {
    for (const shape of [[6, 3], [2, 3, 4, 5]]) {
      const x = torch.randn(shape).mul(2).add(1);
      const w = torch.randn([3]), b = torch.randn([3]);
      const run = async (dev: 'cpu' | 'webgpu') => {
        const mv = (t: Tensor, grad = false) => (dev === 'cpu' ? (grad ? t.clone().requires_grad_() : t.clone()) : gpu(t, grad));
        const xx = mv(x, true), ww = mv(w, true), bb = mv(b, true);
        const rm = mv(torch.zeros([3])), rv = mv(torch.ones([3]));
        const y = F.batch_norm(xx, rm, rv, ww, bb, true, 0.2, 1e-5);
        y.mul(y).mul(mv(torch.arange(y.numel()).reshape(y.shape).float().div(y.numel()))).sum().backward();
        return [y.detach(), rm, rv, xx.grad!, ww.grad!, bb.grad!];
      };
      const c = await run('cpu'), g = await run('webgpu');
      const names = ['y', 'running_mean', 'running_var', 'grad x', 'grad weight', 'grad bias'];
      for (let i = 0; i < c.length; i++) await expectGpuClose(g[i], c[i], `batch_norm ${shape} ${names[i]}`, tol);
    }
  });

  it('batch_norm eval, without affine, and the BatchNorm2d module on webgpu', async () => {
    const x = torch.randn([3, 4, 2, 2]);
    const rm = torch.randn([4]), rv = torch.rand([4]).add(0.5), w = torch.randn([4]);
    await same('eval', (t, m, v, ww) => F.batch_norm(t, m, v, ww, null, false), [x, rm, rv, w], tol);
    await same('train, no affine', (t) => F.batch_norm(t, null, null, null, null, true), [x], tol);
    const cpuBn = new torch.nn.BatchNorm2d(4, { momentum: null });
    const gpuBn = new torch.nn.BatchNorm2d(4, { momentum: null }).to('webgpu');
    for (let step = 0; step < 3; step++) {
      const xs = torch.randn([2, 4, 3, 3]);
      await expectGpuClose(gpuBn.forward(gpu(xs)), cpuBn.forward(xs), `BatchNorm2d step ${step}`, tol);
    }
    await expectGpuClose(gpuBn.running_mean as Tensor, cpuBn.running_mean as Tensor, 'cumulative running_mean', tol);
    await expectGpuClose(gpuBn.running_var as Tensor, cpuBn.running_var as Tensor, 'cumulative running_var', tol);
    cpuBn.eval(); gpuBn.eval();
    const xe = torch.randn([2, 4, 3, 3]);
    await expectGpuClose(gpuBn.forward(gpu(xe)), cpuBn.forward(xe), 'BatchNorm2d eval', tol);
    expect(() => F.batch_norm(gpu(torch.randn([1, 3])), null, null, null, null, true)).toThrow(/Expected more than 1 value per channel when training/);
  });

  it('batch_norm of a non-contiguous input', async () => {
    const x = torch.randn([4, 3, 5]).permute(2, 1, 0);
    await sameGrad('batch_norm permuted', (t) => F.batch_norm(t.permute(2, 1, 0).permute(2, 1, 0), null, null, null, null, true), x.contiguous(), tol);
    await same('batch_norm permuted forward', (t) => F.batch_norm(t, null, null, null, null, true), [x], tol);
  });

  it('layer_norm and group_norm: forward and gradients', async () => {
    const x = torch.randn([2, 6, 3, 4]);
    const w = torch.randn([3, 4]), b = torch.randn([3, 4]);
    const gw = torch.randn([6]), gb = torch.randn([6]);
    for (const [what, f] of [
      ['layer_norm', (t: Tensor, ww: Tensor, bb: Tensor) => F.layer_norm(t, [3, 4], ww, bb)],
      ['layer_norm last dim', (t: Tensor) => F.layer_norm(t, 4)],
      ['group_norm', (t: Tensor, _w: Tensor, _b: Tensor, ww: Tensor, bb: Tensor) => F.group_norm(t, 3, ww, bb)],
      ['group_norm no affine', (t: Tensor) => F.group_norm(t, 2)],
    ] as [string, (...t: Tensor[]) => Tensor][]) {
      const cs = [x, w, b, gw, gb].map((t) => t.clone().requires_grad_());
      const gs = [x, w, b, gw, gb].map((t) => gpu(t, true));
      const cy = f(...cs), gy = f(...gs);
      await expectGpuClose(gy, cy.detach(), `${what} forward`, tol);
      const up = torch.randn(cy.shape);
      cy.mul(up).sum().backward();
      gy.mul(gpu(up)).sum().backward();
      for (let i = 0; i < cs.length; i++) {
        if (cs[i].grad) await expectGpuClose(gs[i].grad!, cs[i].grad!, `${what} grad ${i}`, tol);
        else expect(gs[i].grad, `${what} grad ${i}`).toBeNull();
      }
    }
  });
});
