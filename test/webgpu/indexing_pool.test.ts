// Indexing, joining, pooling and nn.functional ops on webgpu, checked against the CPU (whose
// results the fixture suites check against PyTorch): forward values and gradients, strided
// inputs, empty tensors and integer dtypes.
import { it, expect } from 'vitest';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';
import { describeGpu, gpu, expectGpuClose } from '../helpers/gpu.js';

const F = torch.nn.functional;
const i32 = (v: unknown) => torch.tensor(v as number[], { dtype: 'int32' });
type Op = (...xs: Tensor[]) => Tensor;

/**
 * Runs `f` on CPU tensors and on webgpu copies; compares the result and, for the inputs listed in
 * `grads`, the gradients of a random output gradient (float outputs only).
 */
async function check(what: string, f: Op, inputs: Tensor[], grads: number[] = [], tol?: { atol: number; rtol: number }): Promise<void> {
  const cpu = inputs.map((x, k) => (grads.includes(k) ? x.detach().clone().requires_grad_() : x));
  const dev = inputs.map((x, k) => gpu(x, grads.includes(k)));
  const yc = f(...cpu), yg = f(...dev);
  await expectGpuClose(yg, yc, what, tol);
  if (!grads.length) return;
  const go = torch.randn(yc.shape);
  yc.backward(go);
  yg.backward(gpu(go));
  for (const k of grads) await expectGpuClose(dev[k].grad!, cpu[k].grad!, `${what}: grad of input ${k}`, tol);
}

describeGpu('webgpu gather / scatter / index_select', () => {
  it('gather: forward and gradient (duplicates accumulate), strided input and index, 0-dim and empty', async () => {
    const x = torch.randn([4, 5]);
    const idx = i32([[0, 3, 3, 1, 0], [2, 2, 2, 2, 2]]);
    await check('gather dim 0', (a, i) => a.gather(0, i), [x, idx], [0]);
    await check('gather dim 1', (a, i) => a.gather(1, i), [x, i32([[4, 4, 0], [1, 2, 3], [0, 0, 0], [3, 1, 2]])], [0]);
    await check('gather of a transposed input', (a, i) => a.t().gather(1, i), [x, i32([[0, 1], [3, 3], [2, 0]])], [0]);
    await check('gather with a strided index', (a, i) => a.gather(1, i.t()), [x, i32([[0, 1, 2, 3], [4, 4, 4, 4]])], [0]);
    await check('gather with an expanded index', (a, i) => a.gather(1, i.expand([4, 3])), [x, i32([[2, 0, 4]])], [0]);
    await check('gather of a 0-dim tensor', (a, i) => a.gather(0, i), [torch.tensor(3.5), torch.tensor(0, { dtype: 'int32' })], [0]);
    await check('gather with an empty index', (a, i) => a.gather(0, i), [x, torch.zeros([0, 5], { dtype: 'int32' })], [0]);
    await check('gather of int32', (a, i) => a.gather(0, i), [torch.arange(20).reshape([4, 5]), idx]);
    await check('gather of bool', (a, i) => a.gather(0, i), [x.gt(0), idx]);
    await check('gather of uint8', (a, i) => a.gather(0, i), [torch.arange(20).reshape([4, 5]).to('uint8'), idx]);
  });

  it('index_select: any dim, strided input, gradients, int dtypes', async () => {
    const x = torch.randn([3, 4, 2]);
    // (a negative index is PyTorch's "index out of range in self" on the CPU, issue 15; webgpu
    // raises no value-dependent errors, so there is nothing to compare)
    await check('index_select dim 1', (a, i) => a.index_select(1, i), [x, i32([3, 0, 1, 3])], [0]);
    await check('index_select dim 0', (a, i) => a.index_select(0, i), [x, i32([2, 2, 0])], [0]);
    await check('index_select of a permuted input', (a, i) => a.permute([2, 0, 1]).index_select(2, i), [x, i32([1, 1, 0])], [0]);
    await check('index_select with a 0-dim index', (a, i) => a.index_select(0, i), [x, torch.tensor(1, { dtype: 'int32' })], [0]);
    await check('index_select of a 0-dim input', (a, i) => a.index_select(0, i), [torch.tensor(2.5), i32([0, 0])], [0]);
    await check('index_select with no indices', (a, i) => a.index_select(1, i), [x, i32([])], [0]);
    await check('index_select of int32', (a, i) => a.index_select(0, i), [torch.arange(6).reshape([3, 2]), i32([2, 0])]);
  });

  it('scatter with a tensor or a scalar, and scatter_add with colliding indices', async () => {
    const x = torch.randn([3, 5]), src = torch.randn([2, 5]);
    // distinct targets per column, so scatter's result does not depend on write order
    const idx = i32([[0, 1, 2, 0, 1], [2, 0, 1, 1, 0]]);
    await check('scatter', (a, i, s) => a.scatter(0, i, s), [x, idx, src], [0, 2]);
    // PyTorch's src gradient is g.gather(index), of index's shape: only a src of that shape differentiates
    await check('scatter from a wider src', (a, i, s) => a.scatter(1, i, s), [x, i32([[4, 0], [3, 1]]), src], [0]);
    await check('scatter of a 0-dim tensor', (a, i, s) => a.scatter(0, i, s), [torch.tensor(1.5), torch.tensor(0, { dtype: 'int32' }), torch.tensor(-3.5)], [0, 2]);
    await check('scatter of a scalar', (a, i) => a.scatter(0, i, -2.5), [x, idx], [0]);
    await check('scatter into a transposed tensor', (a, i, s) => a.t().scatter(1, i, s), [x, i32([[0, 2], [1, 0], [2, 1], [0, 1], [2, 0]]), src.t()], [0, 2]);
    await check('scatter_ in place', (a, i, s) => a.clone().scatter_(0, i, s), [x, idx, src], [0, 2]);
    await check('scatter of int32', (a, i, s) => a.scatter(0, i, s), [torch.zeros([3, 5], { dtype: 'int32' }), idx, torch.arange(10).reshape([2, 5])]);
    await check('scatter of a scalar into uint8', (a, i) => a.scatter(0, i, 300), [torch.zeros([3, 5], { dtype: 'uint8' }), idx]);
    await check('scatter into bool', (a, i, s) => a.scatter(0, i, s), [torch.zeros([3, 5], { dtype: 'bool' }), idx, src.gt(0)]);
    const many = i32([[0, 0, 0, 0, 0], [0, 0, 2, 2, 2], [1, 0, 2, 1, 0], [0, 0, 0, 0, 0]]);
    const src4 = torch.randn([4, 5]);
    await check('scatter_add with collisions', (a, i, s) => a.scatter_add(0, i, s), [x, many, src4], [0, 2]);
    await check('scatter_add along dim 1', (a, i, s) => a.scatter_add(1, i, s.narrow(0, 0, 3).narrow(1, 1, 3)), [x, i32([[4, 4, 4], [0, 1, 0], [2, 2, 2]]), src4], [0, 2]);
    await check('scatter_add from a wider src', (a, i, s) => a.scatter_add(1, i, s), [x, i32([[4, 4, 4], [0, 1, 0], [2, 2, 2]]), src4], [0]);
    await check('scatter_add of int32', (a, i, s) => a.scatter_add(0, i, s), [torch.ones([3, 5], { dtype: 'int32' }), many, torch.arange(20).reshape([4, 5])]);
    await check('scatter_add with an empty index', (a, i, s) => a.scatter_add(0, i, s), [x, torch.zeros([0, 5], { dtype: 'int32' }), src4.narrow(0, 0, 0)], [0, 2]);
    expect(() => gpu(torch.zeros([2], { dtype: 'uint8' })).scatter_add(0, gpu(i32([0])), gpu(torch.ones([1], { dtype: 'uint8' })))).toThrow(/scatter_add: not supported for uint8/);
  });

  it('scatter_add sums many colliding float32 values (compare-exchange loop)', async () => {
    const n = 3000;
    const src = torch.rand([n]);
    const idx = torch.arange(n).remainder(3).to('int32');
    await check('scatter_add of 3000 values into 3 slots', (a, i, s) => a.scatter_add(0, i, s), [torch.zeros([3]), idx, src], [], { atol: 1e-3, rtol: 1e-5 });
  });

  it('out-of-range GPU indices never touch memory outside the tensor: zeros on read, no write', async () => {
    const x = gpu(torch.tensor([[1, 2], [3, 4]]));
    expect(await x.gather(1, gpu(i32([[0, 5], [-1, 1]]))).tolist()).toEqual([[1, 0], [0, 4]]);
    expect(await x.index_select(0, gpu(i32([7, -1, -3]))).tolist()).toEqual([[0, 0], [3, 4], [0, 0]]);
    expect(await x.scatter(0, gpu(i32([[9, -1]])), 0).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(await x.scatter_add(1, gpu(i32([[2], [1]])), gpu(torch.tensor([[10], [10]]))).tolist()).toEqual([[1, 2], [3, 14]]);
    // the CPU raises for the same input
    expect(() => torch.tensor([[1, 2], [3, 4]]).gather(1, i32([[0, 5], [0, 1]]))).toThrow(/index 5 is out of bounds/);
  });

  it('index tensors on another device, or of another dtype, are errors', () => {
    const x = gpu(torch.randn([2, 3]));
    expect(() => x.gather(0, i32([[0, 1, 0]]))).toThrow(/Expected all tensors to be on the same device.*gather/);
    expect(() => x.index_select(0, gpu(torch.tensor([0.5])))).toThrow(/Expected dtype int64 for index/);
    expect(() => torch.randn([2, 3]).gather(0, gpu(i32([[0, 1, 0]])))).toThrow(/same device/);
  });
});

describeGpu('webgpu where / masked_fill / joins / shape ops', () => {
  it('where: broadcasting, mixed dtypes, scalars, uint8 conditions, gradients', async () => {
    const a = torch.randn([3, 4]), b = torch.randn([4]), c = torch.randn([3, 1]).gt(0);
    await check('where broadcast', (cc, x, y) => torch.where(cc, x, y), [c, a, b], [1, 2]);
    await check('where of a transposed operand', (cc, x, y) => torch.where(cc, x.t(), y), [torch.randn([4, 3]).gt(0), a, torch.randn([4, 3])], [1, 2]);
    await check('where int32 with float32', (cc, x, y) => torch.where(cc, x, y), [c, torch.arange(12).reshape([3, 4]), b], [2]);
    await check('where with scalars', (cc, x) => torch.where(cc, x, 2), [a.gt(0.5), a], [1]);
    await check('where of two scalars', (cc) => torch.where(cc, 1.5, -1), [a.gt(0)]);
    await check('where of int scalars', (cc) => torch.where(cc, 1, 0), [a.gt(0)]);
    await check('where with a uint8 condition', (cc, x, y) => torch.where(cc, x, y), [a.gt(0).to('uint8'), a, b], [1, 2]);
    await check('where of bool values', (cc, x, y) => torch.where(cc, x, y), [c, a.gt(0), b.lt(0)]);
    await check('where with empty tensors', (cc, x, y) => torch.where(cc, x, y), [torch.zeros([0, 4]).gt(0), torch.zeros([0, 4]), b], [1, 2]);
    // 0-dim CPU tensors are allowed beside webgpu ones, as in PyTorch
    const g = torch.where(gpu(c), gpu(a), torch.tensor(7));
    await expectGpuClose(g, torch.where(c, a, torch.tensor(7)), 'where with a 0-dim cpu tensor');
    expect(() => torch.where(gpu(c), gpu(a), b)).toThrow(/same device.*where/);
  });

  it('masked_fill with a scalar or a 0-dim tensor, in place too', async () => {
    const x = torch.randn([3, 4]), m = torch.randn([4]).gt(0);
    await check('masked_fill', (a, mm) => a.masked_fill(mm, -1), [x, m], [0]);
    await check('masked_fill with a 0-dim tensor value', (a, mm, v) => a.masked_fill(mm, v), [x, m, torch.tensor(3.0)], [0]);
    await check('masked_fill_ of a transposed view', (a, mm) => a.t().clone().masked_fill_(mm.unsqueeze(1), 9), [x, m], [0]);
    await check('masked_fill on int32', (a, mm) => a.masked_fill(mm, 5), [torch.arange(12).reshape([3, 4]), m]);
  });

  it('cat and stack: dims, promotion, legacy empty inputs, gradients', async () => {
    const a = torch.randn([2, 3]), b = torch.randn([1, 3]), c = torch.randn([2, 2]);
    await check('cat dim 0', (x, y) => torch.cat([x, y]), [a, b], [0, 1]);
    await check('cat dim 1 of a transposed input', (x, y) => torch.cat([x, y.t().t()], 1), [a, c], [0, 1]);
    await check('cat dim -1 with a strided input', (x, y) => torch.cat([x.narrow(1, 1, 2), y], -1), [a, c], [0, 1]);
    await check('cat promotes int32 to float32', (x, y) => torch.cat([x, y]), [torch.arange(3).reshape([1, 3]), a], [1]);
    await check('cat skips legacy empty 1-D tensors', (x, y) => torch.cat([x, y]), [a, torch.zeros([0])], [0, 1]);
    await check('cat of int32', (x, y) => torch.cat([x, y]), [torch.arange(4), torch.arange(3)]);
    await check('stack dim 1', (x, y) => torch.stack([x, y], 1), [a, a.mul(2)], [0, 1]);
    await check('stack of 0-dim tensors', (x, y) => torch.stack([x, y]), [torch.tensor(1.5), torch.tensor(-2.5)], [0, 1]);
    expect(() => torch.cat([gpu(a), b])).toThrow(/same device.*cat/);
  });

  it('split and chunk are views; their gradients flow back', async () => {
    const x = torch.randn([5, 4]);
    await check('split sizes', (a) => { const [p, q] = a.split([2, 3]); return torch.cat([q.mul(2), p], 0); }, [x], [0]);
    await check('chunk', (a) => { const [p, q] = a.chunk(2, 1); return torch.cat([q, p], 0); }, [x], [0]);
    await check('split size', (a) => { const ps = a.split(2); return torch.cat([ps[2], ps[0]], 0); }, [x], [0]);
  });

  it('tril, triu, flip, repeat', async () => {
    const x = torch.randn([2, 3, 4]);
    await check('tril', (a) => a.tril(), [x], [0]);
    await check('triu(1)', (a) => a.triu(1), [x], [0]);
    await check('tril(-1) of a transposed input', (a) => a.transpose(1, 2).tril(-1), [x], [0]);
    await check('triu of int32', (a) => a.triu(), [torch.arange(12).reshape([3, 4])]);
    await check('flip', (a) => a.flip(0, 2), [x], [0]);
    await check('flip of int32', (a) => a.flip(1), [torch.arange(12).reshape([3, 4])]);
    await check('repeat', (a) => a.repeat(2, 1, 1, 2), [x], [0]);
    await check('repeat of bool', (a) => a.repeat(2, 2), [torch.randn([2, 2]).gt(0)]);
  });

  it('one_hot needs num_classes on webgpu; out-of-range classes give zero rows', async () => {
    await check('one_hot', (a) => torch.one_hot(a, 4), [i32([[0, 3], [2, 1]])]);
    await check('one_hot of nothing', (a) => torch.one_hot(a, 3), [i32([])]);
    expect(await torch.one_hot(gpu(i32([1, 5, -1])), 3).tolist()).toEqual([[0, 1, 0], [0, 0, 0], [0, 0, 0]]);
    expect(() => torch.one_hot(gpu(i32([1, 2])))).toThrow(/on webgpu, pass num_classes/);
    expect(await F.one_hot(gpu(i32([1])), { num_classes: 2 }).tolist()).toEqual([[0, 1]]);
  });
});

describeGpu('webgpu pooling', () => {
  const x = torch.randn([2, 3, 7, 6]);
  const pools: [string, (t: Tensor) => Tensor][] = [
    ['max_pool2d(2)', (t) => F.max_pool2d(t, 2)],
    ['max_pool2d(3, stride 2, padding 1, dilation 2, ceil_mode)', (t) => F.max_pool2d(t, 3, 2, 1, 2, true)],
    ['max_pool2d([2, 3], stride [1, 2], padding [1, 1])', (t) => F.max_pool2d(t, [2, 3], [1, 2], [1, 1])],
    ['max_pool2d of a permuted input', (t) => F.max_pool2d(t.permute([0, 1, 3, 2]), 3, 2)],
    ['max_pool2d unbatched', (t) => F.max_pool2d(t.select(0, 1), 2, 1)],
    ['max_pool1d(3, 2, 1)', (t) => F.max_pool1d(t.reshape([6, 7, 6]), 3, 2, 1)],
    ['max_pool1d ceil_mode', (t) => F.max_pool1d(t.reshape([6, 7, 6]), 4, 3, 0, 1, true)],
    ['avg_pool2d(3, 2, 1)', (t) => F.avg_pool2d(t, 3, 2, 1)],
    ['avg_pool2d without padding in the count, ceil_mode', (t) => F.avg_pool2d(t, 3, 2, 1, true, false)],
    ['avg_pool2d with divisor_override', (t) => F.avg_pool2d(t, [2, 3], [1, 2], [1, 0], false, true, 5)],
    ['avg_pool1d', (t) => F.avg_pool1d(t.reshape([6, 7, 6]), 3, 2, 1)],
    ['adaptive_avg_pool2d([3, 4])', (t) => F.adaptive_avg_pool2d(t, [3, 4])],
    ['adaptive_avg_pool2d(1)', (t) => F.adaptive_avg_pool2d(t, 1)],
    ['adaptive_avg_pool2d larger than the input', (t) => F.adaptive_avg_pool2d(t, [9, 8])],
    ['adaptive_avg_pool1d', (t) => F.adaptive_avg_pool1d(t.reshape([6, 7, 6]), 4)],
    ['adaptive_max_pool2d([3, 4])', (t) => F.adaptive_max_pool2d(t, [3, 4])],
    ['adaptive_max_pool2d([5, 5])', (t) => F.adaptive_max_pool2d(t, [5, 5])],
  ];
  for (const [name, f] of pools) it(name, () => check(name, f, [x], [0]));

  it('max pooling picks NaN, and the first of equal values, as the CPU', async () => {
    const t = torch.tensor([[[[1, 1, 2, 2], [1, NaN, 2, 2], [-Infinity, -Infinity, 0, 3], [-Infinity, -Infinity, 3, 0]]]]);
    const [vc, ic] = F.max_pool2d(t, 2, { return_indices: true });
    const [vg, ig] = F.max_pool2d(gpu(t), 2, { return_indices: true });
    await expectGpuClose(vg, vc, 'values');
    await expectGpuClose(ig, ic, 'indices');
    const [, ia] = F.adaptive_max_pool2d(gpu(t), 2, true);
    await expectGpuClose(ia, F.adaptive_max_pool2d(t, 2, true)[1], 'adaptive indices');
  });

  it('max pooling double backward (the gradient of the gradient is a gather)', async () => {
    const run = (t: Tensor, go: Tensor) => {
      const y = F.max_pool2d(t, 3, 2, 1);
      const [gx] = torch.autograd.grad(y, t, { grad_outputs: go, create_graph: true });
      return gx!;
    };
    const go = torch.randn([2, 3, 4, 3]), v = torch.randn(x.shape);
    const xc = x.clone().requires_grad_(), gc = go.clone().requires_grad_();
    const xg = gpu(x, true), gg = gpu(go, true);
    const rc = run(xc, gc), rg = run(xg, gg);
    await expectGpuClose(rg, rc, 'first gradient');
    rc.backward(v); rg.backward(gpu(v));
    await expectGpuClose(gg.grad!, gc.grad!, 'gradient of the gradient');
  });

  it('empty batches, and integer inputs are the CPU errors', async () => {
    const e = torch.zeros([0, 2, 4, 4]);
    await check('max_pool2d of an empty batch', (t) => F.max_pool2d(t, 2), [e], [0]);
    await check('avg_pool2d of an empty batch', (t) => F.avg_pool2d(t, 2), [e], [0]);
    await check('adaptive_avg_pool2d of an empty batch', (t) => F.adaptive_avg_pool2d(t, 2), [e], [0]);
    expect(() => F.max_pool2d(gpu(torch.zeros([1, 4, 4], { dtype: 'int32' })), 2)).toThrow(/not implemented for 'int32'/);
  });
});

describeGpu('webgpu nn.functional', () => {
  it('embedding: rows, padding_idx gets no gradient, repeated indices accumulate', async () => {
    const w = torch.randn([6, 3]);
    await check('embedding', (i, ww) => F.embedding(i, ww), [i32([[0, 5, 5], [2, 0, 1]]), w], [1]);
    await check('embedding with padding_idx', (i, ww) => F.embedding(i, ww, 0), [i32([[0, 5, 5], [2, 0, 1]]), w], [1]);
    await check('embedding of no indices', (i, ww) => F.embedding(i, ww), [i32([]), w], [1]);
    // no synchronous check on the GPU: out-of-range indices give zero rows (and no gradient)
    expect(await F.embedding(gpu(i32([7, -1, 1])), gpu(torch.ones([2, 2]))).tolist()).toEqual([[0, 0], [0, 0], [1, 1]]);
  });

  it('dropout: the same seed gives the same mask on both devices', async () => {
    const x = torch.randn([4, 8]);
    for (const [name, f] of [['dropout', (t: Tensor) => F.dropout(t, 0.3)], ['dropout2d', (t: Tensor) => F.dropout2d(t.reshape([2, 2, 2, 4]), 0.5)],
      ['dropout1d', (t: Tensor) => F.dropout1d(t.reshape([2, 4, 4]), 0.4)], ['dropout p=1', (t: Tensor) => F.dropout(t, 1)],
      ['dropout in eval', (t: Tensor) => F.dropout(t, 0.5, false).mul(1)]] as [string, (t: Tensor) => Tensor][]) {
      const xc = x.clone().requires_grad_(), xg = gpu(x, true);
      torch.manual_seed(7); const yc = f(xc);
      torch.manual_seed(7); const yg = f(xg);
      await expectGpuClose(yg, yc, name);
      const go = torch.randn(yc.shape);
      yc.backward(go); yg.backward(gpu(go));
      await expectGpuClose(xg.grad!, xc.grad!, `${name}: gradient`);
    }
  });

  it('pad in every mode, and interpolate', async () => {
    const x = torch.randn([1, 2, 4, 5]);
    await check('pad constant', (t) => F.pad(t, [1, 2, 0, 1], 'constant', 0.5), [x], [0]);
    await check('pad constant, negative', (t) => F.pad(t, [-1, 1, 1, -2]), [x], [0]);
    for (const mode of ['reflect', 'replicate', 'circular']) await check(`pad ${mode}`, (t) => F.pad(t, [2, 1, 1, 3], mode), [x], [0]);
    await check('interpolate nearest', (t) => F.interpolate(t, { scale_factor: 2 }), [x], [0]);
    await check('interpolate bilinear', (t) => F.interpolate(t, { size: [7, 3], mode: 'bilinear', align_corners: false }), [x], [0]);
    await check('interpolate bilinear, align_corners', (t) => F.interpolate(t, { size: [3, 8], mode: 'bilinear', align_corners: true }), [x], [0]);
    await check('interpolate linear', (t) => F.interpolate(t.reshape([2, 4, 5]), { size: 9, mode: 'linear' }), [x], [0]);
  });

  it('activations', async () => {
    const x = torch.randn([3, 5]).mul(3);
    const fs: [string, (t: Tensor) => Tensor][] = [
      ['relu', (t) => F.relu(t)], ['relu6', (t) => F.relu6(t)], ['hardtanh', (t) => F.hardtanh(t, -0.5, 2)],
      ['leaky_relu', (t) => F.leaky_relu(t, 0.2)], ['elu', (t) => F.elu(t, 1.5)], ['gelu', (t) => F.gelu(t)],
      ['gelu tanh', (t) => F.gelu(t, 'tanh')], ['silu', (t) => F.silu(t)], ['sigmoid', (t) => F.sigmoid(t)],
      ['tanh', (t) => F.tanh(t)], ['softplus', (t) => F.softplus(t, 2, 3)],
      ['relu in place', (t) => F.relu(t.mul(1), true)], ['hardtanh in place', (t) => F.hardtanh(t.mul(1), { inplace: true })],
    ];
    for (const [name, f] of fs) await check(name, f, [x], [0]);
  });

  it('losses without a reduction (elementwise, gather and where only)', async () => {
    const logp = torch.randn([4, 3]), t = i32([0, 2, 1, 2]);
    await check('nll_loss none', (a, tt) => F.nll_loss(a, tt, { reduction: 'none' }), [logp, t], [0]);
    await check('nll_loss none, ignore_index and weight', (a, tt, w) => F.nll_loss(a, tt, { weight: w, ignore_index: 1, reduction: 'none' }), [logp, t, torch.rand([3])], [0]);
    await check('nll_loss none, [N, C, d]', (a, tt) => F.nll_loss(a, tt, { reduction: 'none' }), [torch.randn([2, 3, 4]), i32([[0, 1, 2, 0], [2, 2, 1, 0]])], [0]);
    const p = torch.rand([3, 4]), q = torch.rand([3, 4]);
    await check('mse_loss none', (a, b) => F.mse_loss(a, b, { reduction: 'none' }), [p, q], [0, 1]);
    await check('l1_loss none', (a, b) => F.l1_loss(a, b, { reduction: 'none' }), [p, q], [0, 1]);
    await check('smooth_l1_loss none', (a, b) => F.smooth_l1_loss(a, b.mul(3), { reduction: 'none', beta: 0.5 }), [p, q], [0, 1]);
    await check('huber_loss none', (a, b) => F.huber_loss(a, b.mul(3), { reduction: 'none', delta: 0.5 }), [p, q], [0, 1]);
    await check('binary_cross_entropy none', (a, b) => F.binary_cross_entropy(a, b, { reduction: 'none' }), [p, q], [0, 1]);
    await check('binary_cross_entropy_with_logits none', (a, b, w) => F.binary_cross_entropy_with_logits(a, b, { reduction: 'none', pos_weight: w }), [p.sub(0.5).mul(6), q, torch.rand([4])], [0, 1]);
    await check('kl_div none', (a, b) => F.kl_div(a, b, { reduction: 'none' }), [p.log(), q], [0, 1]);
    // out-of-range targets are not checked on the GPU (they read zero); the CPU raises
    expect(() => F.nll_loss(logp, i32([0, 3, 1, 2]), { reduction: 'none' })).toThrow(/Target 3 is out of bounds/);
    expect(await F.nll_loss(gpu(torch.ones([2, 3])), gpu(i32([1, 3])), { reduction: 'none' }).tolist()).toEqual([-1, -0]);
  });

  // these reduce (sum, mean, log_softmax): they need the webgpu reductions of ts/ops/reduce.ts
  it('losses with reductions: nll_loss, cross_entropy, log_softmax + nll_loss, mse, bce', async () => {
    const x = torch.randn([4, 3]), t = i32([0, 2, 1, 2]);
    await check('nll_loss', (a, tt) => F.nll_loss(a, tt), [x, t], [0]);
    await check('nll_loss sum with weight', (a, tt, w) => F.nll_loss(a, tt, { weight: w, reduction: 'sum' }), [x, t, torch.rand([3])], [0]);
    await check('log_softmax + nll_loss', (a, tt) => F.nll_loss(F.log_softmax(a, 1), tt), [x, t], [0]);
    await check('cross_entropy', (a, tt) => F.cross_entropy(a, tt), [x, t], [0]);
    await check('cross_entropy with label smoothing and ignore_index', (a, tt) => F.cross_entropy(a, tt, { label_smoothing: 0.1, ignore_index: 1 }), [x, t], [0]);
    await check('cross_entropy with class probabilities', (a, p) => F.cross_entropy(a, p), [x, torch.rand([4, 3])], [0, 1]);
    await check('mse_loss', (a, b) => F.mse_loss(a, b), [x, torch.randn([4, 3])], [0, 1]);
    await check('binary_cross_entropy', (a, b) => F.binary_cross_entropy(a, b), [torch.rand([4, 3]), torch.rand([4, 3])], [0, 1]);
  });
});
