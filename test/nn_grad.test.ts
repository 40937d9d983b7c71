// Finite-difference gradient checks (float64) for the wasm-kernel layers, double backward
// through conv and pooling, and a leak check for a training step.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const { nn } = torch;
const F = nn.functional;
const { gradcheck, gradgradcheck } = torch.autograd;
const r = (...s: number[]) => torch.randn(s, { dtype: 'float64' }).requires_grad_();

describe('gradcheck (float64)', () => {
  it('conv2d with stride, padding, dilation, groups', () => {
    expect(gradcheck((x, w, b) => F.conv2d(x, w, b, { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 }), [r(2, 4, 5, 6), r(4, 2, 3, 2), r(4)])).toBe(true);
  });
  it('conv2d double backward', () => {
    expect(gradgradcheck((x, w) => F.conv2d(x, w, null, { stride: 2, padding: 1, groups: 2 }), [r(1, 4, 5, 5), r(2, 2, 3, 3)])).toBe(true);
  });
  it('conv_transpose2d and its double backward', () => {
    expect(gradcheck((x, w, b) => F.conv_transpose2d(x, w, b, { stride: 2, padding: 1, output_padding: 1 }), [r(1, 2, 3, 3), r(2, 3, 3, 3), r(3)])).toBe(true);
    expect(gradgradcheck((x, w) => F.conv_transpose2d(x, w, null, { stride: 2 }), [r(1, 2, 2, 3), r(2, 2, 2, 2)])).toBe(true);
  });
  it('pooling forward and double backward', () => {
    expect(gradcheck((x) => F.max_pool2d(x, 3, { stride: 2, padding: 1, ceil_mode: true }), [r(1, 2, 6, 7)])).toBe(true);
    expect(gradgradcheck((x) => F.max_pool2d(x, 2), [r(1, 2, 4, 4)])).toBe(true);
    expect(gradcheck((x) => F.avg_pool2d(x, 3, { stride: 2, padding: 1, count_include_pad: false }), [r(1, 2, 6, 7)])).toBe(true);
    expect(gradgradcheck((x) => F.avg_pool2d(x, 2), [r(1, 2, 4, 4)])).toBe(true);
    expect(gradcheck((x) => F.adaptive_avg_pool2d(x, [3, 2]), [r(1, 2, 7, 5)])).toBe(true);
    expect(gradcheck((x) => F.adaptive_max_pool2d(x, [3, 2]), [r(1, 2, 7, 5)])).toBe(true);
  });
  it('batch_norm (training statistics in wasm), layer_norm, group_norm, and double backward', () => {
    expect(gradcheck((x, w, b) => F.batch_norm(x, null, null, w, b, true), [r(4, 3, 2, 2), r(3), r(3)])).toBe(true);
    expect(gradgradcheck((x, w) => F.batch_norm(x, null, null, w, null, true), [r(3, 2, 3), r(2)])).toBe(true);
    expect(gradcheck((x, w, b) => F.layer_norm(x, [4], w, b), [r(3, 4), r(4), r(4)])).toBe(true);
    expect(gradcheck((x, w, b) => F.group_norm(x, 2, w, b), [r(2, 4, 3), r(4), r(4)])).toBe(true);
  });
  it('fused log_softmax and nll_loss: every reduction, weights, ignore_index, other dims, double backward', () => {
    const t = torch.tensor([0, 2, 1, 2], { dtype: 'int32' });
    const w = torch.tensor([0.5, 1, 2], { dtype: 'float64' });
    const ts = torch.tensor([[[0, 2], [1, -1]], [[2, 2], [-1, 0]]], { dtype: 'int32' });
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expect(gradcheck((x) => F.nll_loss(x, t, { weight: w, ignore_index: 1, reduction }), [r(4, 3)])).toBe(true);
      expect(gradcheck((x) => F.cross_entropy(x, t, { weight: w, ignore_index: 1, reduction }), [r(4, 3)])).toBe(true);
      expect(gradcheck((x) => F.cross_entropy(x, ts, { weight: w, ignore_index: -1, reduction }), [r(2, 3, 2, 2)])).toBe(true);
      expect(gradgradcheck((x) => F.cross_entropy(x, t, { weight: w, ignore_index: 1, reduction }), [r(4, 3)])).toBe(true);
      expect(gradgradcheck((x) => F.nll_loss(x, ts, { weight: w, ignore_index: -1, reduction }), [r(2, 3, 2, 2)])).toBe(true);
    }
    expect(gradcheck((x) => F.cross_entropy(x, torch.tensor(1, { dtype: 'int32' })), [r(3)])).toBe(true);
    for (const dim of [0, 1, 2, -1]) {
      expect(gradcheck((x) => F.log_softmax(x, dim), [r(3, 4, 2)])).toBe(true);
      expect(gradgradcheck((x) => F.log_softmax(x, dim), [r(3, 4, 2)])).toBe(true);
    }
    // grad_fn names as PyTorch's
    expect(F.cross_entropy(r(4, 3), t).grad_fn!.name).toBe('NllLossBackward0');
    expect(F.log_softmax(r(4, 3), 1).grad_fn!.name).toBe('LogSoftmaxBackward0');
  });
  it('losses and embedding', () => {
    const t = torch.tensor([0, 2, 1, 2], { dtype: 'int32' });
    const w = torch.tensor([0.5, 1, 2], { dtype: 'float64' });
    expect(gradcheck((x) => F.cross_entropy(x, t, { weight: w, label_smoothing: 0.1, ignore_index: 1 }), [r(4, 3)])).toBe(true);
    expect(gradgradcheck((x) => F.cross_entropy(x, t), [r(4, 3)])).toBe(true);
    expect(gradcheck((x, y) => F.binary_cross_entropy_with_logits(x, y, { pos_weight: torch.tensor([2, 0.5], { dtype: 'float64' }) }), [r(3, 2), torch.rand(3, 2, { dtype: 'float64' }).requires_grad_()])).toBe(true);
    expect(gradcheck((w) => F.embedding(torch.tensor([[0, 2], [2, 1]], { dtype: 'int32' }), w, { padding_idx: 3 }), [r(4, 3)])).toBe(true);
    expect(gradcheck((x) => F.interpolate(x, { size: [5, 3], mode: 'bilinear' }), [r(1, 1, 3, 4)])).toBe(true);
    expect(gradcheck((x) => F.pad(x, [1, -1, 2, 0], { value: 3 }), [r(1, 3, 4)])).toBe(true);
  });
});

describe('memory', () => {
  it('a training step inside torch.scope leaves no tensors behind; parameters survive', () => {
    const net = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 3 * 3, 10));
    const x = torch.randn(8, 1, 8, 8), t = torch.randint(0, 10, [8]);
    const step = () => torch.scope(() => {
      net.zero_grad();
      const loss = F.cross_entropy(net.call(x), t);
      loss.backward();
    });
    step();
    const m0 = torch.memory();
    for (let i = 0; i < 3; i++) step();
    const m1 = torch.memory();
    expect(m1.tensors).toBe(m0.tensors);
    expect(m1.bytes).toBe(m0.bytes);
    expect(net.parameters().every((p: Tensor) => !p.is_disposed && p.grad !== null)).toBe(true);
  });
});

describe('kernel paths', () => {
  it('max_pool2d 2x2/2 SIMD fast path (f32) agrees with the generic kernel (f64), NaN included', () => {
    const d = torch.randn(4, 3, 10, 13).dataSync() as Float32Array;
    d[5] = NaN; d[40] = NaN; d[41] = NaN; d[200] = -Infinity;
    const h = torch.tensor(d).reshape([4, 3, 10, 13]);
    const [a, ai] = F.max_pool2d(h, 2, 2, { return_indices: true });
    const [b, bi] = F.max_pool2d(h.double(), 2, 2, { return_indices: true });
    expect(Array.from(ai.dataSync())).toEqual(Array.from(bi.dataSync()));
    expect(Array.from(a.dataSync()).map(String)).toEqual(Array.from(b.float().dataSync()).map(String));
  });
  it('conv2d batch chunking gives the same result as one chunk', async () => {
    const { _setConvChunkBytes } = await import('../ts/backend/wasm/conv.js');
    const x = torch.randn(9, 3, 8, 7).requires_grad_(), w = torch.randn(4, 3, 3, 3).requires_grad_();
    const run = () => { x.grad = null; w.grad = null; const y = F.conv2d(x, w, null, { padding: 1 }); y.backward(torch.ones_like(y)); return [y, x.grad!, w.grad!].map((t) => Array.from(t.dataSync())); };
    _setConvChunkBytes(1 << 30); const one = run();
    _setConvChunkBytes(1); const many = run();
    _setConvChunkBytes(1 << 20);
    one.forEach((v, i) => v.forEach((e, j) => expect(many[i][j]).toBeCloseTo(e, 4)));
  });

  it('conv2d products per sample (large outputs) give what products per chunk give', async () => {
    const { _setConvChunkBytes, _setConvSampleCols } = await import('../ts/backend/wasm/conv.js');
    // groups, bias, stride, dilation and padding; 9 x 10 = 90 output positions per sample, 25,920 column bytes
    const x = torch.randn([7, 4, 19, 17], { dtype: 'float64' }).requires_grad_();
    const w = torch.randn([6, 2, 3, 3], { dtype: 'float64' }).requires_grad_(), b = torch.randn([6], { dtype: 'float64' }).requires_grad_();
    const run = () => {
      x.grad = null; w.grad = null; b.grad = null;
      const y = F.conv2d(x, w, b, { stride: 2, padding: [1, 2], dilation: [2, 1], groups: 2 });
      y.backward(torch.linspace(-1, 1, y.numel(), { dtype: 'float64' }).reshape(y.shape));
      return [y, x.grad!, w.grad!, b.grad!].map((t) => Array.from(t.dataSync() as Float64Array));
    };
    const results: number[][][] = [];
    for (const [chunk, cols] of [[1 << 30, 1 << 30], [1 << 30, 1], [1, 1], [60000, 1], [60000, 1 << 30]]) {
      _setConvChunkBytes(chunk); _setConvSampleCols(cols);
      results.push(run());
    }
    _setConvChunkBytes(1 << 20); _setConvSampleCols(256);
    for (const r of results.slice(1)) r.forEach((v, i) => v.forEach((e, j) => expect(e).toBeCloseTo(results[0][i][j], 10)));
    // and the per-sample path differentiates like the function it computes
    _setConvSampleCols(1);
    try {
      const xs = torch.randn([2, 2, 5, 4], { dtype: 'float64' }).requires_grad_(), ws = torch.randn([3, 2, 2, 2], { dtype: 'float64' }).requires_grad_();
      expect(gradcheck((a: Tensor, c: Tensor) => F.conv2d(a, c, null, { padding: 1 }), [xs, ws])).toBe(true);
    } finally { _setConvSampleCols(256); }
  });
});
