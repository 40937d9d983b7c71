// torch.multinomial: PyTorch cannot be matched sample for sample (its generator is another), so
// the draws are tested statistically with fixed seeds (chi-square against the exact category
// probabilities, generous bounds) and by exact properties: no repeats without replacement, zero
// probabilities never drawn while positive ones remain, a seed repeats its samples, shapes, int32
// dtype, the argument forms and PyTorch's errors (wording from PyTorch 1.13).
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const counts = (t: Tensor, n: number): number[] => {
  const c = new Array(n).fill(0);
  for (const v of t.dataSync() as Int32Array) c[v]++;
  return c;
};
/** Pearson's chi-square statistic of observed counts against probabilities (zero-probability cells must be empty). */
function chi2(obs: number[], p: number[]): number {
  const N = obs.reduce((a, b) => a + b, 0);
  let s = 0;
  p.forEach((pi, i) => {
    if (pi === 0) { expect(obs[i], `category ${i} has probability 0`).toBe(0); return; }
    s += (obs[i] - N * pi) ** 2 / (N * pi);
  });
  return s;
}

describe('multinomial with replacement', () => {
  it('follows the probabilities (chi-square, 4 free cells, fixed seed) and never draws a zero', () => {
    torch.manual_seed(11);
    const w = [0.5, 0, 1.5, 3, 0, 5]; // unnormalized
    const s = torch.multinomial(torch.tensor(w), 20000, true);
    expect(s.shape).toEqual([20000]);
    expect(s.dtype).toBe('int32');
    const total = w.reduce((a, b) => a + b);
    // 4 degrees of freedom: P(chi2 > 30) < 1e-5
    expect(chi2(counts(s, 6), w.map((v) => v / total))).toBeLessThan(30);
  });

  it('2-D: each row its own distribution, float64 too', () => {
    torch.manual_seed(5);
    const p = torch.tensor([[0.2, 0.8, 0], [0, 0, 1], [1 / 3, 1 / 3, 1 / 3]], { dtype: 'float64' });
    const s = p.multinomial(6000, true);
    expect(s.shape).toEqual([3, 6000]);
    const rows = s.unbind(0);
    expect(chi2(counts(rows[0], 3), [0.2, 0.8, 0])).toBeLessThan(25);
    expect(counts(rows[1], 3)).toEqual([0, 0, 6000]);
    expect(chi2(counts(rows[2], 3), [1 / 3, 1 / 3, 1 / 3])).toBeLessThan(25);
  });

  it('leading, inner and trailing zero-probability categories are never drawn', () => {
    torch.manual_seed(2);
    expect(counts(torch.multinomial(torch.tensor([0, 1, 0, 0], { dtype: 'float32' }), 500, true), 4)).toEqual([0, 500, 0, 0]);
    const c = counts(torch.multinomial(torch.tensor([0, 0.5, 0, 0.5, 0]), 2000, true), 5);
    expect([c[0], c[2], c[4]]).toEqual([0, 0, 0]);
    expect(chi2(c, [0, 0.5, 0, 0.5, 0])).toBeLessThan(20);
  });
});

describe('multinomial without replacement', () => {
  it('never repeats a category in a row; zeros come only after every positive one', () => {
    torch.manual_seed(3);
    const p = torch.tensor([[0.1, 0, 0.4, 0.2, 0, 0.3], [0, 0, 5, 0, 0, 0]]);
    const all = p.multinomial(6);
    for (const row of all.unbind(0)) {
      const v = Array.from(row.dataSync());
      expect(new Set(v).size).toBe(6);
    }
    const [r0, r1] = all.unbind(0).map((r) => Array.from(r.dataSync()));
    expect(new Set(r0.slice(0, 4))).toEqual(new Set([0, 2, 3, 5]));
    expect(r1[0]).toBe(2);
    // as PyTorch: torch.multinomial(torch.tensor([0.5, 0.]), 2) is tensor([0, 1])
    expect(Array.from(torch.multinomial(torch.tensor([0.5, 0]), 2).dataSync())).toEqual([0, 1]);
    const four = p.multinomial(4);
    expect(four.shape).toEqual([2, 4]);
    for (const v of Array.from(four.select(0, 0).dataSync())) expect([0, 2, 3, 5]).toContain(v);
  });

  it('first and second draws follow the sequential probabilities (chi-square over 4000 rows)', () => {
    torch.manual_seed(9);
    const p = [0.1, 0.2, 0.3, 0.4];
    const s = torch.tensor(p).expand([4000, 4]).multinomial(2);
    const first = counts(s.select(1, 0), 4), second = counts(s.select(1, 1), 4);
    // P(second = j) = sum over i != j of p_i p_j / (1 - p_i)
    const p2 = p.map((pj, j) => p.reduce((a, pi, i) => (i === j ? a : a + (pi * pj) / (1 - pi)), 0));
    expect(chi2(first, p)).toBeLessThan(25);
    expect(chi2(second, p2)).toBeLessThan(25);
    const pairs = Array.from(s.select(1, 0).eq(s.select(1, 1)).dataSync());
    expect(pairs.every((v) => !v)).toBe(true);
  });
});

describe('multinomial: seeds, generators, arguments, errors', () => {
  it('a seed repeats its samples; a generator option draws from its own stream', () => {
    const p = torch.tensor([0.3, 0.3, 0.4]);
    torch.manual_seed(1); const a = Array.from(torch.multinomial(p, 50, true).dataSync());
    torch.manual_seed(1); const b = Array.from(torch.multinomial(p, 50, true).dataSync());
    expect(a).toEqual(b);
    expect(Array.from(torch.multinomial(p, 50, true).dataSync())).not.toEqual(a);
    const g = new torch.Generator().manual_seed(1);
    expect(Array.from(torch.multinomial(p, 50, true, { generator: g }).dataSync())).toEqual(a);
    const g2 = new torch.Generator().manual_seed(1);
    expect(Array.from(p.multinomial({ num_samples: 50, replacement: true, generator: g2 }).dataSync())).toEqual(a);
  });

  it('the result is not part of the graph', () => {
    const p = torch.tensor([0.5, 0.5]).requires_grad_();
    const s = torch.multinomial(p, 1);
    expect(s.requires_grad).toBe(false);
  });

  it('raises PyTorch\'s errors', () => {
    const err = 'probability tensor contains either `inf`, `nan` or element < 0';
    expect(() => torch.multinomial(torch.tensor([0.5, -1]), 1)).toThrow(err);
    expect(() => torch.multinomial(torch.tensor([0.5, Infinity]), 1)).toThrow(err);
    expect(() => torch.multinomial(torch.tensor([0.5, NaN]), 1)).toThrow(err);
    expect(() => torch.multinomial(torch.tensor([[1, 1], [0, 0]]).float(), 1, true)).toThrow('invalid multinomial distribution (sum of probabilities <= 0)');
    expect(() => torch.multinomial(torch.tensor([0.5, 0.5]), 3)).toThrow('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
    expect(() => torch.multinomial(torch.tensor([[[0.5]]]), 1)).toThrow('prob_dist must be 1 or 2 dim');
    expect(() => torch.multinomial(torch.tensor([0.5]), 0)).toThrow('cannot sample n_sample <= 0 samples');
    expect(() => torch.multinomial(torch.tensor([1, 2]), 1)).toThrow('multinomial only supports floating-point dtypes for input, got: Int');
    expect(() => torch.multinomial(torch.tensor([0.5]), 1.5)).toThrow("argument 'num_samples' must be int");
    expect(() => torch.multinomial(torch.tensor([0.5]), 1, { replace: true } as never)).toThrow("multinomial() got an unexpected keyword argument 'replace'");
  });
});

describe('multinomial with many samples and categories', () => {
  it('draws in chunks (rows x samples x categories beyond one chunk) with the same result as small draws', () => {
    const w = torch.rand([2, 3000]).mul(torch.rand([2, 3000]).gt(0.5));
    torch.manual_seed(21);
    const big = torch.multinomial(w, 1500, true); // 2 x 1500 x 3000 = 9M comparisons: 3 chunks
    expect(big.shape).toEqual([2, 1500]);
    const wd = w.dataSync();
    for (const [i, v] of Array.from(big.dataSync()).entries()) expect(wd[Math.floor(i / 1500) * 3000 + v], `sample ${i}`).toBeGreaterThan(0);
    // the same counters drawn without chunking: one row at a time, with the same uniforms
    torch.manual_seed(21);
    const u = torch.rand([2, 1500]);
    const cdf = w.cumsum(-1);
    const t = u.mul(cdf.narrow(1, 2999, 1));
    const row0 = Array.from(t.select(0, 0).dataSync()).slice(0, 50).map((x) => Array.from(cdf.select(0, 0).dataSync()).filter((c) => c <= x).length);
    expect(Array.from(big.select(0, 0).dataSync()).slice(0, 50)).toEqual(row0);
  });
});
