// optim.lr_scheduler against PyTorch's lr sequences over 100 steps (test/fixtures/gen_optim_fixtures.py),
// called in PyTorch's order: optimizer.step(), then scheduler.step().
import { describe, it, expect, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../ts/index.js';

const { optim } = torch;
const { lr_scheduler } = optim;
const here = dirname(fileURLToPath(import.meta.url));

interface SchedCase {
  id: string; optim: string; options: Record<string, unknown>; n_groups: number; scheduler: string;
  args: unknown[]; kwargs: Record<string, unknown>; metrics: number[] | null; lrs: number[][]; momentum: number[][] | null;
}
const fx = JSON.parse(readFileSync(join(here, 'fixtures', 'optim_schedulers.json'), 'utf8')) as { cases: SchedCase[] };

type AnyCtor = new (...a: unknown[]) => { step(m?: number): void; get_last_lr(): number[]; state_dict(): Record<string, unknown>; load_state_dict(s: Record<string, unknown>): void };

function makeOpt(c: SchedCase): torch.optim.Optimizer {
  const Cls = (optim as unknown as Record<string, new (p: unknown, o: unknown) => torch.optim.Optimizer>)[c.optim];
  const params = Array.from({ length: c.n_groups }, () => torch.zeros([2]).requires_grad_());
  if (c.n_groups === 1) return new Cls(params, c.options);
  return new Cls(params.map((p, i) => ({ params: [p], lr: (c.options.lr as number) * (i + 1) })), c.options);
}

function makeSched(c: SchedCase, opt: torch.optim.Optimizer) {
  const Cls = (lr_scheduler as unknown as Record<string, AnyCtor>)[c.scheduler];
  const args = c.scheduler === 'LambdaLR' ? [(e: number) => 0.95 ** e] : c.args;
  return new Cls(opt, ...args, c.kwargs);
}

function momentumOf(opt: torch.optim.Optimizer): (number | undefined)[] {
  return opt.param_groups.map((g) => ('betas' in opt.defaults ? g.betas[0] : g.momentum));
}

function close(a: number[], b: number[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-12 + 1e-10 * Math.abs(b[i])));
}

describe('lr schedulers match PyTorch over 100 steps', () => {
  for (const c of fx.cases) {
    it(c.id, () => {
      const opt = makeOpt(c);
      const s = makeSched(c, opt);
      close(opt.param_groups.map((g) => g.lr), c.lrs[0]);
      for (let i = 0; i < c.lrs.length - 1; i++) {
        opt.step();
        if (c.metrics) s.step(c.metrics[i]); else s.step();
        const lrs = opt.param_groups.map((g) => g.lr);
        close(lrs, c.lrs[i + 1]);
        close(s.get_last_lr(), lrs);
        if (c.momentum) close(momentumOf(opt) as number[], c.momentum[i + 1]);
      }
    });
  }
});

describe('lr scheduler API', () => {
  it('positional or options-object arguments', () => {
    const p = torch.zeros([2]).requires_grad_();
    const o1 = new optim.SGD([p], { lr: 1 });
    const s1 = new lr_scheduler.StepLR(o1, 2, { gamma: 0.5 });
    const o2 = new optim.SGD([p], { lr: 1 });
    const s2 = lr_scheduler.StepLR(o2, { step_size: 2, gamma: 0.5 });
    for (let i = 0; i < 5; i++) { o1.step(); s1.step(); o2.step(); s2.step(); }
    expect(s1.get_last_lr()).toEqual([0.25]);
    expect(s2.get_last_lr()).toEqual([0.25]);
    expect(new lr_scheduler.CosineAnnealingLR(new optim.SGD([p], { lr: 1 }), { T_max: 10 }).T_max).toBe(10);
  });

  it('state_dict round trip resumes the schedule (every scheduler)', () => {
    for (const c of fx.cases) {
      const opt = makeOpt(c);
      const s = makeSched(c, opt);
      const step = (i: number) => { opt.step(); if (c.metrics) s.step(c.metrics[i]); else s.step(); };
      for (let i = 0; i < 37; i++) step(i);
      const saved = JSON.parse(JSON.stringify({ o: opt.state_dict(), s: s.state_dict() }));
      const opt2 = makeOpt(c);
      const s2 = makeSched(c, opt2);
      opt2.load_state_dict(saved.o);
      s2.load_state_dict(saved.s);
      for (let i = 37; i < 100; i++) {
        opt2.step();
        if (c.metrics) s2.step(c.metrics[i]); else s2.step();
        close(opt2.param_groups.map((g) => g.lr), c.lrs[i + 1]);
      }
      close(s2.get_last_lr(), c.lrs[100]);
    }
  });

  it('state_dict holds every field but the optimizer (and no functions)', () => {
    const opt = new optim.SGD([torch.zeros([2]).requires_grad_()], { lr: 0.1 });
    const s = new lr_scheduler.StepLR(opt, 3, { gamma: 0.5 });
    const sd = s.state_dict();
    expect(sd).toMatchObject({ step_size: 3, gamma: 0.5, base_lrs: [0.1], last_epoch: 0, _step_count: 1, _last_lr: [0.1] });
    expect('optimizer' in sd).toBe(false);
    const l = new lr_scheduler.LambdaLR(opt, (e) => 0.5 ** e);
    expect(l.state_dict().lr_lambdas).toEqual([null]);
  });

  it('warns when scheduler.step() comes before optimizer.step()', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const opt = new optim.SGD([torch.zeros([2]).requires_grad_()], { lr: 0.1 });
    const s = new lr_scheduler.StepLR(opt, 1);
    s.step();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/before `optimizer.step\(\)`/);
    warn.mockRestore();
  });

  it('bad input', () => {
    const opt = new optim.SGD([torch.zeros([2]).requires_grad_()], { lr: 0.1 });
    expect(() => new lr_scheduler.StepLR({} as never, 1)).toThrow(/is not an Optimizer/);
    expect(() => new lr_scheduler.ReduceLROnPlateau(opt, { factor: 1.5 })).toThrow(/Factor should be < 1.0/);
    expect(() => new lr_scheduler.ReduceLROnPlateau(opt, { mode: 'up' as never })).toThrow(/mode up is unknown/);
    expect(() => new lr_scheduler.OneCycleLR(opt, 0.1)).toThrow(/total_steps OR \(epochs AND steps_per_epoch\)/);
    expect(() => new lr_scheduler.OneCycleLR(new optim.Adadelta([torch.zeros([1]).requires_grad_()]), 0.1, { total_steps: 10 })).toThrow(/support momentum/);
    expect(() => new lr_scheduler.StepLR(opt, 1, { last_epoch: 5 })).toThrow(/initial_lr/);
    const oc = new lr_scheduler.OneCycleLR(new optim.SGD([torch.zeros([1]).requires_grad_()], { lr: 0.1, momentum: 0.9 }), 0.1, { total_steps: 3 });
    oc.step(); oc.step(); oc.step();
    expect(() => oc.step()).toThrow(/Tried to step 5 times. The specified number of total steps is 3/);
    expect(() => new lr_scheduler.LambdaLR(opt, [(e: number) => e, (e: number) => e])).toThrow(/Expected 1 lr_lambdas, but got 2/);
  });

  it('ReduceLROnPlateau accepts a tensor metric', () => {
    const opt = new optim.SGD([torch.zeros([2]).requires_grad_()], { lr: 1 });
    const s = new lr_scheduler.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
    s.step(torch.tensor(1.0));
    s.step(torch.tensor(1.0));
    expect(s.get_last_lr()).toEqual([0.5]);
  });
});
