// torch.optim.LBFGS against PyTorch 1.13 (test/fixtures/optim_lbfgs.json, recorded by
// test/fixtures/gen_lbfgs_fixtures.py): every loss the closure computes, each step's returned
// loss, the parameters after each step and the state counters, in float64 within 1e-8 relative,
// for the Rosenbrock function, a linear regression and a small time_sequence_prediction model, with
// line_search_fn None and 'strong_wolfe'. Also: async closures, state_dict round trips, defaults
// and errors.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const { nn, optim } = torch;
interface TJ { dtype: string; shape: number[]; data: number[] }
interface Case {
  id: string; problem: string; options: Record<string, unknown>; steps: number; init: Record<string, TJ>;
  extra: Record<string, any>; evals: number[]; step_losses: number[]; after: Record<string, TJ>[];
  counters: { func_evals: number; n_iter: number; history: number }[]; defaults: Record<string, unknown>;
}
const here = dirname(fileURLToPath(import.meta.url));
const FX = JSON.parse(readFileSync(join(here, 'fixtures', 'optim_lbfgs.json'), 'utf8')) as { cases: Case[] };
const toT = (j: TJ): Tensor => torch.tensor(j.data, { dtype: j.dtype as 'float64' }).reshape(j.shape);
const REL = 1e-8;
const near = (a: number, e: number, what: string): void => {
  if (!(Math.abs(a - e) <= REL * Math.abs(e) + 1e-300)) throw new Error(`${what}: got ${a}, PyTorch ${e} (relative ${Math.abs(a - e) / Math.abs(e)})`);
};

/** The problem of a case: named parameters (as PyTorch names them) and the loss function. */
function problem(c: Case): { params: Record<string, Tensor>; f: () => Tensor } {
  if (c.problem === 'rosenbrock') {
    const x = toT(c.init.x).requires_grad_();
    return { params: { x }, f: () => {
      const x0 = x.select(0, 0), x1 = x.select(0, 1);
      return x0.neg().add(1).pow(2).add(x1.sub(x0.pow(2)).pow(2).mul(100));
    } };
  }
  if (c.problem === 'regression') {
    const lin = new nn.Linear(3, 1, { dtype: 'float64' });
    lin.load_state_dict({ weight: toT(c.init.weight), bias: toT(c.init.bias) });
    const X = toT(c.extra.X), Y = toT(c.extra.Y);
    return { params: Object.fromEntries(lin.named_parameters()), f: () => nn.functional.mse_loss(lin.forward(X), Y) };
  }
  // time_sequence_prediction, small: LSTMCell(1, 6) + Linear(6, 1) over each time step
  const cell = new nn.LSTMCell(1, 6, { dtype: 'float64' }), linear = new nn.Linear(6, 1, { dtype: 'float64' });
  const sd = c.extra.state_dict as Record<string, TJ>;
  cell.load_state_dict(Object.fromEntries(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((k) => [k, toT(sd[`lstm1.${k}`])])));
  linear.load_state_dict({ weight: toT(sd['linear.weight']), bias: toT(sd['linear.bias']) });
  const input = toT(c.extra.input), target = toT(c.extra.target);
  const f = (): Tensor => {
    let h = torch.zeros([input.shape[0], 6], { dtype: 'float64' }), cs = torch.zeros([input.shape[0], 6], { dtype: 'float64' });
    const outs: Tensor[] = [];
    for (const x of input.split(1, 1)) {
      [h, cs] = cell.forward(x, [h, cs]) as [Tensor, Tensor];
      outs.push(linear.forward(h));
    }
    return nn.functional.mse_loss(torch.cat(outs, 1), target);
  };
  const params: Record<string, Tensor> = {};
  for (const [k, p] of cell.named_parameters()) params[`lstm1.${k}`] = p;
  for (const [k, p] of linear.named_parameters()) params[`linear.${k}`] = p;
  return { params, f };
}

describe('LBFGS follows PyTorch (float64 trajectories, 1e-8 relative)', () => {
  for (const c of FX.cases) {
    it(c.id, () => {
      const { params, f } = problem(c);
      expect(Object.keys(params)).toEqual(Object.keys(c.init));
      const opt = new optim.LBFGS(Object.values(params), c.options as never);
      expect(opt.defaults).toEqual({ ...c.defaults, line_search_fn: c.defaults.line_search_fn ?? null });
      const evals: number[] = [];
      const closure = (): Tensor => {
        opt.zero_grad();
        const loss = f();
        loss.backward();
        evals.push(loss.itemSync() as number);
        return loss;
      };
      for (let s = 0; s < c.steps; s++) {
        const l = opt.step(closure);
        near(l.itemSync() as number, c.step_losses[s], `step ${s} loss`);
        for (const [k, e] of Object.entries(c.after[s])) {
          const got = Array.from(params[k].dataSync());
          got.forEach((v, i) => near(v, e.data[i], `step ${s} ${k}[${i}]`));
        }
        const st = opt.state.get(Object.values(params)[0])!;
        expect({ func_evals: st.func_evals, n_iter: st.n_iter, history: st.old_dirs.length }, `step ${s} counters`).toEqual(c.counters[s]);
      }
      expect(evals.length).toBe(c.evals.length);
      evals.forEach((v, i) => near(v, c.evals[i], `closure evaluation ${i}`));
    });
  }
});

describe('LBFGS behaviour', () => {
  const rosen = FX.cases.find((c) => c.id === 'rosenbrock_wolfe')!;
  const run = (c: Case, async: boolean) => {
    const { params, f } = problem(c);
    const opt = optim.LBFGS(Object.values(params), c.options as never); // callable without new, as in Python
    const sync = (): Tensor => { opt.zero_grad(); const l = f(); l.backward(); return l; };
    return { params, opt, closure: async ? async () => { await Promise.resolve(); return sync(); } : sync };
  };

  it('an async closure gives the same trajectory, and step returns a promise of the loss', async () => {
    const { params, opt, closure } = run(rosen, true);
    for (let s = 0; s < rosen.steps; s++) {
      const p = opt.step(closure);
      expect(p).toBeInstanceOf(Promise);
      near((await p).itemSync() as number, rosen.step_losses[s], `step ${s} loss`);
    }
    Array.from(params.x.dataSync()).forEach((v, i) => near(v, rosen.after[rosen.steps - 1].x.data[i], `x[${i}]`));
  });

  it('state_dict / load_state_dict: a fresh optimizer resumes the trajectory', () => {
    const a = run(rosen, false);
    a.opt.step(a.closure);
    const sd = a.opt.state_dict();
    expect(Object.keys(sd.state)).toEqual(['0']);
    expect(sd.param_groups[0]).toMatchObject({ lr: 1, max_iter: 20, max_eval: 25, history_size: 100, line_search_fn: 'strong_wolfe', params: [0] });
    const b = run(rosen, false);
    b.params.x.detach().copy_(a.params.x);
    b.opt.load_state_dict(sd);
    expect(b.opt.state.get(b.params.x)!.d).not.toBe(sd.state[0].d);
    for (let s = 1; s < rosen.steps; s++) near(b.opt.step(b.closure).itemSync() as number, rosen.step_losses[s], `resumed step ${s}`);
    Array.from(b.params.x.dataSync()).forEach((v, i) => near(v, rosen.after[rosen.steps - 1].x.data[i], `x[${i}]`));
  });

  it('a converged problem returns at once (gradient below tolerance_grad): one evaluation', () => {
    const x = torch.tensor([1, 1], { dtype: 'float64' }).requires_grad_();
    const opt = new optim.LBFGS([x]);
    let n = 0;
    opt.step(() => { n++; opt.zero_grad(); const l = x.sub(1).pow(2).sum(); l.backward(); return l; });
    expect(n).toBe(1);
    expect(opt.state.get(x)!.n_iter).toBe(0);
  });

  it('float32 parameters descend too (a quadratic reaches its minimum)', () => {
    const x = torch.tensor([3, -2, 0.5]).requires_grad_();
    const opt = new optim.LBFGS([x], { line_search_fn: 'strong_wolfe' });
    opt.step(() => { opt.zero_grad(); const l = x.sub(torch.tensor([1, 2, 3])).pow(2).mul(torch.tensor([1, 10, 100])).sum(); l.backward(); return l; });
    Array.from(x.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([1, 2, 3][i], 4));
  });

  it('raises PyTorch\'s errors', () => {
    const a = torch.zeros([2]).requires_grad_(), b = torch.zeros([2]).requires_grad_();
    expect(() => new optim.LBFGS([{ params: [a] }, { params: [b], lr: 0.1 }])).toThrow("LBFGS doesn't support per-parameter options (parameter groups)");
    const opt = new optim.LBFGS([a], { line_search_fn: 'backtracking' as never });
    expect(() => (opt.step as () => void)()).toThrow("missing 1 required positional argument: 'closure'");
    expect(() => opt.step(() => { opt.zero_grad(); const l = a.sub(1).pow(2).sum(); l.backward(); return l; })).toThrow("only 'strong_wolfe' is supported");
    const o2 = new optim.LBFGS([b]);
    expect(() => o2.step(() => 'loss' as never)).toThrow('LBFGS: the closure must return the loss');
  });
});
