// torch.distributions against PyTorch 1.13 (test/fixtures/distributions.json, recorded by
// test/fixtures/gen_distributions_fixtures.py): log_prob, cdf, entropy, moments, matrices and the
// gradients of sum(log_prob) + sum(entropy) for every parameter and the value, float32 and
// float64; PyTorch's validation errors; float64 gradchecks; sampling statistics and rsample
// gradients; a leak check.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { toT, expectClose, type TJ } from './helpers/json_tensor.js';

const D = torch.distributions;
interface Case {
  id: string; cls: string; params: Record<string, TJ>; value: TJ; value_grad: boolean; batch_shape: number[]; event_shape: number[];
  log_prob: TJ; entropy: TJ; repr: string; grads: Record<string, TJ>; [k: string]: unknown;
}
const here = dirname(fileURLToPath(import.meta.url));
const FX = JSON.parse(readFileSync(join(here, 'fixtures', 'distributions.json'), 'utf8')) as { cases: Case[]; errors: Record<string, string> };

const close = expectClose;
type Dist = InstanceType<typeof D.Normal> & Record<string, unknown>;
const build = (cls: string, params: Record<string, Tensor>): Dist =>
  new (D as unknown as Record<string, new (o: object) => Dist>)[cls](params);

describe('distributions match PyTorch', () => {
  for (const c of FX.cases) {
    it(c.id, () => {
      const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, toT(v, true)]));
      const value = toT(c.value, c.value_grad);
      const d = build(c.cls, params);
      expect(d.batch_shape, 'batch_shape').toEqual(c.batch_shape);
      expect(d.event_shape, 'event_shape').toEqual(c.event_shape);
      expect(String(d)).toBe(c.repr);
      const lp = d.log_prob(value), ent = d.entropy();
      close(lp, c.log_prob, 'log_prob');
      close(ent, c.entropy, 'entropy');
      lp.sum().add(ent.sum()).backward();
      for (const [k, g] of Object.entries(c.grads)) close(k === 'value' ? value.grad : params[k].grad, g, `grad ${k}`);
      torch.no_grad(() => {
        for (const k of ['cdf']) if (c[k]) close(d.cdf(toT(c.value)), c[k] as TJ, k);
        for (const k of ['mean', 'variance', 'stddev', 'probs', 'logits', 'scale_tril', 'covariance_matrix', 'precision_matrix']) {
          if (c[k]) close(d[k] as Tensor, c[k] as TJ, k);
        }
      });
    });
  }
});

describe('distributions: PyTorch errors', () => {
  const first = (f: () => unknown): string => { try { f(); } catch (e) { return String((e as Error).message).split('\n')[0]; } return 'no error'; };
  const cases: Record<string, () => unknown> = {
    normal_negative_scale: () => new D.Normal(torch.zeros(2), torch.tensor([1, -1])),
    uniform_outside: () => new D.Uniform(0, 1).log_prob(torch.tensor(2)),
    uniform_low_high: () => new D.Uniform(torch.tensor([0, 2]), torch.tensor([1, 1])),
    categorical_both: () => new D.Categorical({ probs: torch.ones(3), logits: torch.ones(3) }),
    categorical_support: () => new D.Categorical(torch.tensor([0.2, 0.5, 0.3])).log_prob(torch.tensor(3)),
    bernoulli_support: () => new D.Bernoulli(torch.tensor(0.3)).log_prob(torch.tensor(0.5)),
    bernoulli_probs: () => new D.Bernoulli(torch.tensor([0.3, 1.5])),
    mvn_event: () => new D.MultivariateNormal(torch.zeros(3), torch.eye(3)).log_prob(torch.zeros(2)),
    mvn_broadcast: () => new D.MultivariateNormal(torch.zeros(2, 3), torch.eye(3)).log_prob(torch.zeros(4, 3)),
    mvn_not_pd: () => new D.MultivariateNormal(torch.zeros(2), torch.tensor([[1, 2], [2, 1]]), { validate_args: false }),
    mvn_two_matrices: () => new D.MultivariateNormal(torch.zeros(2), torch.eye(2), { scale_tril: torch.eye(2) }),
  };
  for (const [k, f] of Object.entries(cases)) it(k, () => expect(first(f)).toBe(FX.errors[k]));

  it('validation can be turned off, as in PyTorch', () => {
    expect(() => new D.Normal(0, -1, { validate_args: false })).not.toThrow();
    D.Distribution.set_default_validate_args(false);
    try { expect(() => new D.Normal(0, -1)).not.toThrow(); } finally { D.Distribution.set_default_validate_args(true); }
    expect(() => new D.Normal(0, -1)).toThrow(/GreaterThan/);
  });
  it('bad arguments', () => {
    expect(() => new D.Categorical(torch.tensor(0.5))).toThrow('`probs` parameter must be at least one-dimensional.');
    expect(() => new D.Normal(torch.zeros(2), torch.ones(3))).toThrow(/shape/);
    expect(() => new D.Normal(0, 1).sample([-1])).toThrow(/sample_shape/);
    expect(() => new D.Categorical(torch.ones(3)).rsample()).toThrow(/has_rsample is false/);
  });
});

describe('distributions: float64 gradchecks', () => {
  const f64 = (a: number[] | number[][]) => torch.tensor(a, { dtype: 'float64', requires_grad: true });
  it('Normal.log_prob', () => {
    expect(torch.autograd.gradcheck((l: Tensor, s: Tensor, v: Tensor) => new D.Normal(l, s).log_prob(v), [f64([0.1, -0.4]), f64([0.7, 1.3]), f64([[0.2, 0.5], [-1, 2]])])).toBe(true);
  });
  it('MultivariateNormal.log_prob (covariance) and entropy', () => {
    const cov = torch.tensor([[2, 0.3, 0.1], [0.3, 1.5, -0.2], [0.1, -0.2, 1]], { dtype: 'float64' });
    const fn = (l: Tensor, a: Tensor, v: Tensor) => {
      const c = a.matmul(a.t()).add(cov); // keeps the matrix positive-definite around the point
      const m = new D.MultivariateNormal(l, c);
      return m.log_prob(v).sum().add(m.entropy());
    };
    expect(torch.autograd.gradcheck(fn, [f64([0.1, -0.4, 0.3]), f64([[0.2, 0.1, 0], [0, 0.3, 0.1], [0.1, 0, 0.2]]), f64([[0.2, 0.5, 1], [-1, 2, 0.4]])])).toBe(true);
  });
  it('Categorical and Bernoulli log_prob/entropy (logits)', () => {
    const v = torch.tensor([2, 0], { dtype: 'float64' });
    expect(torch.autograd.gradcheck((l: Tensor) => { const c = new D.Categorical({ logits: l }); return c.log_prob(v).add(c.entropy()); }, [f64([[0.1, -0.4, 0.3], [1, 0.2, -1]])])).toBe(true);
    const b = torch.tensor([1, 0, 1], { dtype: 'float64' });
    expect(torch.autograd.gradcheck((p: Tensor) => { const d = new D.Bernoulli(p); return d.log_prob(b).add(d.entropy()); }, [f64([0.2, 0.6, 0.9])])).toBe(true);
  });
  it('Uniform log_prob/entropy with respect to low and high', () => {
    const v = torch.tensor([0.1, 0.2], { dtype: 'float64' });
    expect(torch.autograd.gradcheck((lo: Tensor, hi: Tensor) => { const d = new D.Uniform(lo, hi); return d.log_prob(v).add(d.entropy()); }, [f64([-1, -0.5]), f64([1, 2])])).toBe(true);
  });
});

describe('distributions: sampling', () => {
  it('shapes: sample_shape + batch_shape + event_shape, no graph from sample()', () => {
    const loc = torch.zeros(2, 3).requires_grad_();
    const n = new D.Normal(loc, 1);
    expect(n.sample([4, 5]).shape).toEqual([4, 5, 2, 3]);
    expect(n.sample().requires_grad).toBe(false);
    expect(n.rsample([4]).requires_grad).toBe(true);
    expect(new D.MultivariateNormal(torch.zeros(2, 3), torch.eye(3)).sample([4]).shape).toEqual([4, 2, 3]);
    const c = new D.Categorical(torch.ones(2, 5));
    expect(c.sample([7]).shape).toEqual([7, 2]);
    expect(c.sample([7]).dtype).toBe('int32');
    expect(new D.Bernoulli(torch.full([3], 0.5)).sample(4).shape).toEqual([4, 3]);
  });
  it('moments of samples follow the distribution (seeded)', () => {
    torch.manual_seed(1);
    const n = new D.Normal(2, 3).sample([20000]);
    expect(Math.abs(Number(n.mean().itemSync()) - 2)).toBeLessThan(0.1);
    expect(Math.abs(Number(n.std().itemSync()) - 3)).toBeLessThan(0.1);
    const u = new D.Uniform(-1, 3).sample([20000]);
    expect(Number(u.min().itemSync())).toBeGreaterThanOrEqual(-1);
    expect(Number(u.max().itemSync())).toBeLessThan(3);
    expect(Math.abs(Number(u.mean().itemSync()) - 1)).toBeLessThan(0.05);
    const b = new D.Bernoulli(torch.tensor([0.1, 0.8])).sample([20000]);
    const bm = b.mean(0).dataSync() as Float32Array;
    expect(Math.abs(bm[0] - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(bm[1] - 0.8)).toBeLessThan(0.015);
  });
  it('Categorical frequencies; a category of probability 0 is never drawn', () => {
    torch.manual_seed(2);
    const probs = [0, 0.2, 0.5, 0, 0.3, 0];
    const s = new D.Categorical(torch.tensor(probs)).sample([30000]);
    for (let k = 0; k < probs.length; k++) {
      const f = Number(s.eq(k).float().mean().itemSync());
      if (probs[k] === 0) expect(f, `category ${k}`).toBe(0);
      else expect(Math.abs(f - probs[k]), `category ${k}`).toBeLessThan(0.015);
    }
    const logitsSamples = new D.Categorical({ logits: torch.tensor([[0, 0], [-100, 0]]) }).sample([1000]);
    expect(Number(logitsSamples.select(1, 1).sum().itemSync())).toBe(1000);
  });
  it('MultivariateNormal samples have the covariance', () => {
    torch.manual_seed(3);
    const cov = torch.tensor([[2, 0.8], [0.8, 1]], { dtype: 'float32' });
    const x = new D.MultivariateNormal(torch.tensor([1, -1], { dtype: 'float32' }), cov).sample([40000]);
    const c = x.sub(x.mean(0)); const emp = c.t().matmul(c).div(40000).dataSync() as Float32Array;
    [2, 0.8, 0.8, 1].forEach((v, i) => expect(Math.abs(emp[i] - v), `cov[${i}]`).toBeLessThan(0.06));
  });
  it('rsample gradients: d/dloc = 1, d/dscale = the standard normal draw', () => {
    const loc = torch.tensor([0.5, -1], { requires_grad: true }), scale = torch.tensor([2, 0.5], { dtype: 'float32', requires_grad: true });
    const s = new D.Normal(loc, scale).rsample([3]);
    s.sum().backward();
    close(loc.grad, { dtype: 'float32', shape: [2], data: [3, 3] }, 'loc.grad');
    const eps = s.detach().sub(loc.detach()).div(scale.detach()).sum(0);
    close(scale.grad, { dtype: 'float32', shape: [2], data: Array.from(eps.dataSync() as Float32Array) }, 'scale.grad');
    const lo = torch.tensor(1, { dtype: 'float32', requires_grad: true }), hi = torch.tensor(3, { dtype: 'float32', requires_grad: true });
    const u = new D.Uniform(lo, hi).rsample();
    u.backward();
    const t = (Number(u.itemSync()) - 1) / 2;
    expect(Number(hi.grad!.itemSync())).toBeCloseTo(t, 5);
    expect(Number(lo.grad!.itemSync())).toBeCloseTo(1 - t, 5);
  });
  it('enumerate_support', () => {
    expect(new D.Categorical(torch.ones(2, 3)).enumerate_support().tolistSync()).toEqual([[0, 0], [1, 1], [2, 2]]);
    expect(new D.Bernoulli(torch.tensor([0.3])).enumerate_support(false).tolistSync()).toEqual([[0], [1]]);
  });
});

describe('distributions: memory', () => {
  it('a REINFORCE-style loop keeps live storages flat', () => {
    const logits = torch.zeros(4, 3, { requires_grad: true });
    const step = () => torch.scope(() => {
      const d = new D.Categorical({ logits });
      const a = d.sample();
      const loss = d.log_prob(a).mul(-1).sum();
      loss.backward();
      torch.no_grad(() => { logits.sub_(logits.grad!.mul(0.1)); logits.grad!.zero_(); });
    });
    for (let i = 0; i < 5; i++) step();
    const before = torch.memory().tensors;
    for (let i = 0; i < 50; i++) step();
    const after = torch.memory().tensors;
    expect(after).toBeLessThanOrEqual(before);
  });
});
