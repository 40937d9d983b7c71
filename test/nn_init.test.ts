// Default initializations follow PyTorch's formulas (statistically), nn.init functions, and dropout.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const { nn } = torch;
const init = nn.init;
const F = nn.functional;

function stats(t: Tensor) {
  const d = Array.from(t.dataSync() as Float32Array);
  const n = d.length;
  let sum = 0, min = Infinity, max = -Infinity;
  for (const v of d) { sum += v; if (v < min) min = v; if (v > max) max = v; }
  const mean = sum / n;
  let sq = 0;
  for (const v of d) sq += (v - mean) ** 2;
  return { n, mean, std: Math.sqrt(sq / n), min, max };
}

/** U(-b, b): inside the bounds, reaching close to them, mean 0 and std b/sqrt(3) within sampling error */
function expectUniform(t: Tensor, b: number) {
  const s = stats(t);
  expect(s.max).toBeLessThanOrEqual(b);
  expect(s.min).toBeGreaterThanOrEqual(-b);
  expect(s.max).toBeGreaterThan(b * (1 - 20 / s.n) - 1e-7);
  expect(s.min).toBeLessThan(-b * (1 - 20 / s.n) + 1e-7);
  expect(Math.abs(s.mean)).toBeLessThan(5 * b / Math.sqrt(3 * s.n));
  expect(Math.abs(s.std / (b / Math.sqrt(3)) - 1)).toBeLessThan(0.01 + 3 / Math.sqrt(s.n));
}
function expectNormal(t: Tensor, mean: number, std: number) {
  const s = stats(t);
  expect(Math.abs(s.mean - mean)).toBeLessThan(5 * std / Math.sqrt(s.n));
  expect(Math.abs(s.std / std - 1)).toBeLessThan(0.01 + 3 / Math.sqrt(s.n));
}

describe('default initializations (PyTorch schemes)', () => {
  it('Linear: kaiming_uniform(a=sqrt(5)) => U(+-1/sqrt(fan_in)), bias U(+-1/sqrt(fan_in))', () => {
    torch.manual_seed(1);
    const l = new nn.Linear(800, 500);
    expectUniform(l.weight, 1 / Math.sqrt(800));
    expectUniform(l.bias!, 1 / Math.sqrt(800));
  });
  it('Conv2d / Conv1d: fan_in = in_channels/groups * kernel area', () => {
    const c = new nn.Conv2d(20, 50, 5);
    expectUniform(c.weight, 1 / Math.sqrt(500));
    expectUniform(c.bias!, 1 / Math.sqrt(500));
    const g = new nn.Conv2d(8, 64, 3, { groups: 4 });
    expectUniform(g.weight, 1 / Math.sqrt(2 * 9));
    const c1 = new nn.Conv1d(16, 64, 7);
    expectUniform(c1.weight, 1 / Math.sqrt(16 * 7));
  });
  it('ConvTranspose2d: fan_in from weight.size(1) (= out_channels/groups) * kernel area', () => {
    const t = new nn.ConvTranspose2d(64, 16, 3);
    expect(t.weight.shape).toEqual([64, 16, 3, 3]);
    expectUniform(t.weight, 1 / Math.sqrt(16 * 9));
    expectUniform(t.bias!, 1 / Math.sqrt(16 * 9));
  });
  it('Bilinear: U(+-1/sqrt(in1_features)); Embedding N(0, 1) with a zero padding row; norms ones/zeros', () => {
    const b = new nn.Bilinear(30, 20, 40);
    expectUniform(b.weight, 1 / Math.sqrt(30));
    const e = new nn.Embedding(1000, 16, { padding_idx: 3 });
    expectNormal(e.weight, 0, 1);
    expect(Array.from(e.weight.select(0, 3).dataSync())).toEqual(Array(16).fill(0));
    const bn = new nn.BatchNorm2d(4);
    expect(Array.from(bn.weight!.dataSync())).toEqual([1, 1, 1, 1]);
    expect(Array.from(bn.bias!.dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(bn.running_var!.dataSync())).toEqual([1, 1, 1, 1]);
    expect(bn.num_batches_tracked!.dtype).toBe('int32');
  });
  it('same seed, same initialization', () => {
    torch.manual_seed(42);
    const a = new nn.Linear(10, 10);
    torch.manual_seed(42);
    const b = new nn.Linear(10, 10);
    expect(Array.from(a.weight.dataSync())).toEqual(Array.from(b.weight.dataSync()));
  });
});

describe('nn.init', () => {
  it('calculate_gain', () => {
    expect(init.calculate_gain('linear')).toBe(1);
    expect(init.calculate_gain('conv2d')).toBe(1);
    expect(init.calculate_gain('sigmoid')).toBe(1);
    expect(init.calculate_gain('tanh')).toBeCloseTo(5 / 3);
    expect(init.calculate_gain('relu')).toBeCloseTo(Math.SQRT2);
    expect(init.calculate_gain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)));
    expect(init.calculate_gain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04));
    expect(init.calculate_gain('selu')).toBe(0.75);
    expect(() => init.calculate_gain('bogus')).toThrow(/Unsupported nonlinearity/);
  });
  it('kaiming, xavier, uniform, normal, trunc_normal, constants', () => {
    const w = torch.empty(256, 128);
    init.kaiming_uniform_(w);
    expectUniform(w, Math.SQRT2 * Math.sqrt(3 / 128));
    init.kaiming_uniform_(w, { mode: 'fan_out', nonlinearity: 'relu' });
    expectUniform(w, Math.SQRT2 * Math.sqrt(3 / 256));
    init.kaiming_normal_(w, 0, 'fan_in', 'relu');
    expectNormal(w, 0, Math.SQRT2 / Math.sqrt(128));
    init.xavier_uniform_(w, 2);
    expectUniform(w, 2 * Math.sqrt(6 / 384));
    init.xavier_normal_(w);
    expectNormal(w, 0, Math.sqrt(2 / 384));
    init.uniform_(w, -3, 5);
    const s = stats(w);
    expect(s.min).toBeGreaterThanOrEqual(-3); expect(s.max).toBeLessThanOrEqual(5);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.1);
    init.normal_(w, { mean: 2, std: 0.5 });
    expectNormal(w, 2, 0.5);
    init.trunc_normal_(w, { std: 1, a: -1, b: 1.5 });
    const t = stats(w);
    expect(t.min).toBeGreaterThanOrEqual(-1); expect(t.max).toBeLessThanOrEqual(1.5);
    init.zeros_(w); expect(stats(w).max).toBe(0);
    init.ones_(w); expect(stats(w).min).toBe(1);
    init.constant_(w, 0.25); expect(stats(w).mean).toBe(0.25);
    const p = new nn.Parameter(torch.zeros(3, 3));
    init.eye_(p);
    expect(Array.from(p.dataSync())).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(p.requires_grad).toBe(true);
  });
  it('orthogonal_: rows (or columns) orthonormal, times gain', () => {
    for (const [r, c] of [[6, 4], [4, 6], [5, 5]]) {
      const w = init.orthogonal_(torch.empty(r, c), 2);
      const g = r >= c ? w.t().matmul(w) : w.matmul(w.t());
      const eye = torch.eye(Math.min(r, c)).mul(4);
      expect(g.sub(eye).abs().max().itemSync()).toBeLessThan(1e-5);
    }
  });
});

describe('dropout', () => {
  it('train: zeros a fraction p and scales the rest by 1/(1-p); eval: identity', () => {
    const x = torch.ones(200, 100);
    const d = new nn.Dropout(0.3);
    const y = d.call(x);
    const v = Array.from(y.dataSync());
    const zeros = v.filter((e) => e === 0).length / v.length;
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.02);
    expect(v.filter((e) => e !== 0).every((e) => Math.abs(e - 1 / 0.7) < 1e-6)).toBe(true);
    d.eval();
    expect(d.call(x)).toBe(x);
    expect(F.dropout(x, 0.5, false)).toBe(x);
    expect(String(d)).toBe('Dropout(p=0.3, inplace=False)');
  });
  it('follows the seeded generator; gradient flows through the kept elements', () => {
    const x = torch.randn(10, 10).requires_grad_();
    torch.manual_seed(7); const a = F.dropout(x, { p: 0.5 });
    torch.manual_seed(7); const b = F.dropout(x, { p: 0.5 });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    a.sum().backward();
    const g = Array.from(x.grad!.dataSync()), av = Array.from(a.dataSync());
    g.forEach((gi, i) => expect(gi).toBeCloseTo(av[i] === 0 ? 0 : 2, 5));
  });
  it('draws its mask in one pass, the same values as rand(..).ge(p).to(dtype).div(1 - p)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      // [7, 5]: 35 values, so the float32 kernel's four-draw loop leaves a tail
      for (const [p, shape] of [[0.1, [64, 33]], [0.25, [64, 33]], [0.5, [7, 5]], [0.9, [64, 33]], [0.3, [1, 3]]] as const) {
        const x = torch.ones([...shape], { dtype });
        torch.manual_seed(11); const y = F.dropout(x, p);
        torch.manual_seed(11); const want = torch.rand([...shape], { dtype }).ge(p).to(dtype).div(1 - p);
        const yv = y.dataSync(), wv = want.dataSync();
        expect(Array.from(yv).every((v, i) => Object.is(v, wv[i])), `${dtype} p=${p} [${shape}]`).toBe(true);
      }
    }
  });
  it('keeps a draw exactly at p and drops the float32 just below it (the float32 kernel compares integers)', () => {
    const shape = [64, 33];
    torch.manual_seed(5); const r = torch.rand(shape).dataSync() as Float32Array;
    const bits = new Float32Array(1), u = new Uint32Array(bits.buffer);
    const step = (v: number, d: number) => { bits[0] = v; u[0] += d; return bits[0]; };
    for (const k of [0, 7, 100, 2000]) {
      for (const p of [r[k], step(r[k], 1), step(r[k], -1)]) {
        torch.manual_seed(5); const y = F.dropout(torch.ones(shape), p).dataSync() as Float32Array;
        const kept = Array.from(y, (v) => v !== 0), want = Array.from(r, (v) => v >= p);
        expect(kept[k], `p = r[${k}] ${p === r[k] ? '' : p > r[k] ? '+ 1 ulp' : '- 1 ulp'}`).toBe(r[k] >= p);
        expect(kept).toEqual(want);
      }
    }
  });
  it('Dropout2d zeroes whole channels', () => {
    const y = new nn.Dropout2d(0.5).call(torch.ones(8, 16, 3, 3));
    const ch = y.sum([2, 3]).dataSync();
    expect(Array.from(ch).every((v) => v === 0 || Math.abs(v - 18) < 1e-4)).toBe(true);
    expect(Array.from(ch).some((v) => v === 0)).toBe(true);
  });
});
