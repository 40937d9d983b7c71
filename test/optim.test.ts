// torch.optim against PyTorch trajectories (test/fixtures/gen_optim_fixtures.py): every optimizer
// and option combination, 50 steps, parameters and state compared after every step.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const { optim } = torch;
const here = dirname(fileURLToPath(import.meta.url));

interface Case {
  id: string; optim: string; dtype: 'float32' | 'float64'; options: Record<string, unknown>;
  groups: ({ params: number[] } & Record<string, unknown>)[] | null;
  group_keys: string[]; state_keys: string[];
  params: number[][][]; state: Record<string, number[] | number | null>[][][] | Record<string, number[] | number | null>[][];
}
const fx = JSON.parse(readFileSync(join(here, 'fixtures', 'optim_trajectories.json'), 'utf8')) as {
  steps: number; init: number[][]; shapes: number[][]; C: number[]; cases: Case[];
};

export function makeParams(dtype: torch.DType = 'float32'): Tensor[] {
  return fx.init.map((v, k) => torch.tensor(v, { dtype }).reshape(fx.shapes[k]).requires_grad_());
}

/** The fixture problem's gradient at step t (see gen_optim_fixtures.py), computed like PyTorch in f32/f64. */
export function setGrads(params: Tensor[], t: number): void {
  params.forEach((p, k) => {
    const f32 = p.dtype === 'float32';
    const r = f32 ? Math.fround : (x: number) => x;
    const d = p.dataSync();
    const g = Array.from(d, (v, j) => r(r(v * fx.C[k]) + r(Math.sin(0.37 * t + 0.11 * j + 0.5 * k))));
    const old = p.grad;
    p.grad = torch.scope(() => torch.tensor(g, { dtype: p.dtype }).reshape(p.shape));
    old?.dispose();
  });
}

function build(c: Case, params: Tensor[]): torch.optim.Optimizer {
  const Cls = (optim as unknown as Record<string, new (p: unknown, o: unknown) => torch.optim.Optimizer>)[c.optim];
  const groups = c.groups ? c.groups.map((g) => ({ ...g, params: g.params.map((k) => params[k]) })) : params;
  return new Cls(groups, c.options);
}

/** Largest |a - b| / (atol + rtol |b|) over the arrays (<= 1 passes). */
function worst(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]) / (atol + rtol * Math.abs(b[i])));
  return w;
}

describe('optim trajectories match PyTorch', () => {
  for (const c of fx.cases) {
    it(c.id, () => {
      const params = makeParams(c.dtype);
      const opt = build(c, params);
      const [atol, rtol] = c.dtype === 'float32' ? [1e-6, 2e-5] : [1e-12, 1e-10];
      let w = 0;
      for (let t = 1; t <= fx.steps; t++) {
        setGrads(params, t);
        opt.step();
        params.forEach((p, k) => {
          const e = worst(p.dataSync(), c.params[t - 1][k], atol, rtol);
          if (e > 1) throw new Error(`${c.id}: param ${k} differs at step ${t}: ${p.dataSync()} vs ${c.params[t - 1][k]}`);
          w = Math.max(w, e);
          const ref = (c.state as Record<string, number[] | number | null>[][])[t - 1][k];
          const mine = opt.state.get(p)!;
          expect(Object.keys(mine).sort()).toEqual(Object.keys(ref).sort());
          for (const [name, rv] of Object.entries(ref)) {
            const v = mine[name];
            if (rv === null) { expect(v).toBeNull(); continue; }
            if (typeof rv === 'number') { expect(Number((v as Tensor).itemSync())).toBeCloseTo(rv, 5); continue; }
            const es = worst((v as Tensor).dataSync(), rv, atol, rtol);
            if (es > 1) throw new Error(`${c.id}: state ${name} of param ${k} differs at step ${t}`);
            w = Math.max(w, es);
          }
        });
      }
      // state_dict in PyTorch's structure
      const sd = opt.state_dict();
      expect(Object.keys(sd.param_groups[0]).sort()).toEqual(expect.arrayContaining(c.group_keys));
      expect(Object.keys(sd.state[0]).sort()).toEqual(c.state_keys);
      expect(sd.param_groups.flatMap((g) => g.params)).toEqual([0, 1]);
      expect(w).toBeLessThanOrEqual(1);
    });
  }
});

describe('optim API', () => {
  it('plain list and parameter groups with per-group options', () => {
    const [a, b] = makeParams();
    const opt = new optim.SGD([{ params: [a] }, { params: b, lr: 1e-3 }], { lr: 1e-2, momentum: 0.9 });
    expect(opt.param_groups.length).toBe(2);
    expect(opt.param_groups[0].lr).toBe(1e-2);
    expect(opt.param_groups[1].lr).toBe(1e-3);
    expect(opt.param_groups[1].momentum).toBe(0.9);
    const opt2 = new optim.SGD([a, b], { lr: 0.1 });
    expect(opt2.param_groups.length).toBe(1);
    expect(opt2.param_groups[0].params.length).toBe(2);
    opt2.param_groups[0].params.forEach((p, i) => expect(p).toBe([a, b][i]));
    const c = torch.zeros([3]).requires_grad_();
    opt2.add_param_group({ params: [c], lr: 0.5 });
    expect(opt2.param_groups[1]).toMatchObject({ lr: 0.5, momentum: 0, nesterov: false });
  });

  it('callable without new, as in Python', () => {
    const [a] = makeParams();
    const opt = optim.Adam([a], { lr: 0.1 });
    expect(opt).toBeInstanceOf(optim.Adam);
    expect(opt).toBeInstanceOf(optim.Optimizer);
    const s = optim.lr_scheduler.StepLR(opt, { step_size: 1, gamma: 0.5 });
    expect(s).toBeInstanceOf(optim.lr_scheduler.StepLR);
  });

  it('skips parameters without a gradient', () => {
    const [a, b] = makeParams();
    const opt = new optim.Adam([a, b], { lr: 0.1 });
    a.grad = torch.ones(a.shape);
    const before = b.dataSync();
    opt.step();
    expect(b.dataSync()).toEqual(before);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.has(a)).toBe(true);
  });

  it('zero_grad sets to null by default, or zeros in place', () => {
    const [a, b] = makeParams();
    const opt = new optim.SGD([a, b], { lr: 0.1 });
    setGrads([a, b], 1);
    opt.zero_grad();
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
    setGrads([a, b], 1);
    const g = a.grad!;
    opt.zero_grad({ set_to_none: false });
    expect(a.grad).toBe(g);
    expect([...a.grad!.dataSync()]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('step(closure) evaluates the closure with grad enabled and returns its loss', () => {
    const w = torch.tensor([1, 2, 3], { dtype: 'float32' }).requires_grad_();
    const opt = new optim.SGD([w], { lr: 0.1 });
    let calls = 0;
    const loss = torch.no_grad(() => opt.step(() => {
      calls++;
      opt.zero_grad();
      const l = w.mul(w).sum();
      l.backward();
      return l;
    }));
    expect(calls).toBe(1);
    expect(loss.itemSync()).toBe(14);
    expect([...w.dataSync()].map((v) => +v.toFixed(6))).toEqual([0.8, 1.6, 2.4]);
  });

  it('runs under no_grad: the update records no graph and bumps the version', () => {
    const w = torch.tensor([1, 2, 3], { dtype: 'float32' }).requires_grad_();
    const opt = new optim.Adam([w], { lr: 0.1 });
    w.mul(2).sum().backward();
    const v = w._version;
    opt.step();
    expect(w._version).toBeGreaterThan(v);
    expect(w.grad_fn).toBeNull();
    expect(w.is_leaf).toBe(true);
  });

  it('a training loop on autograd gradients converges (SGD momentum, Adadelta, Adam)', () => {
    for (const make of [
      (p: Tensor[]) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 }),
      (p: Tensor[]) => new optim.Adadelta(p, { lr: 1.0 }),
      (p: Tensor[]) => new optim.Adam(p, { lr: 0.05 }),
    ]) {
      const w = torch.zeros([1, 2]).requires_grad_();
      const b = torch.zeros([1]).requires_grad_();
      const x = torch.tensor([[1, 2], [3, 1], [-1, 0.5], [2, -2]], { dtype: 'float32' });
      const y = x.matmul(torch.tensor([[1.5], [-0.5]])).add(0.25).reshape([4]);
      const opt = make([w, b]);
      let last = Infinity, first = 0;
      for (let i = 0; i < 300; i++) {
        opt.zero_grad();
        const loss = x.matmul(w.t()).reshape([4]).add(b).sub(y).pow(2).mean();
        loss.backward();
        opt.step();
        last = loss.itemSync() as number;
        if (i === 0) first = last;
      }
      // (Adadelta starts with steps of about sqrt(eps): slow at first)
      expect(last).toBeLessThan(opt instanceof optim.Adadelta ? 0.2 * first : 1e-3 * first);
    }
  });

  it('non-contiguous parameters take the strided path and match contiguous ones', () => {
    for (const name of ['SGD', 'Adam', 'RMSprop', 'Adadelta'] as const) {
      const base = torch.tensor([[0.5, -1, 2], [0.25, 3, -0.75], [1.5, 0.1, -2.5], [0.3, -0.6, 0.9]]);
      const pt = base.t(); // a leaf view with strides [1, 3]
      pt.requires_grad_();
      expect(pt.is_contiguous()).toBe(false);
      const pc = pt.contiguous().detach().requires_grad_();
      const Cls = (optim as unknown as Record<string, new (p: unknown, o: unknown) => torch.optim.Optimizer>)[name];
      const o1 = new Cls([pt], { lr: 0.05, momentum: name === 'SGD' ? 0.9 : undefined });
      const o2 = new Cls([pc], { lr: 0.05, momentum: name === 'SGD' ? 0.9 : undefined });
      for (let t = 1; t <= 10; t++) {
        const g = torch.tensor(Array.from({ length: 12 }, (_, j) => Math.sin(t + j))).reshape([3, 4]);
        pt.grad = g; pc.grad = g.clone();
        o1.step(); o2.step();
      }
      expect([...pt.dataSync()]).toEqual([...pc.dataSync()]);
      expect(base.t().dataSync()).toEqual(pt.dataSync()); // written through the view into base
    }
  });

  it('large parameters go through the chunked path (several kernel calls)', () => {
    const n = 2 * 65536 + 3;
    const init = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
    const p = torch.tensor(init).requires_grad_();
    const opt = new optim.Adam([p], { lr: 0.01, weight_decay: 0.1 });
    p.grad = torch.tensor(Float32Array.from({ length: n }, (_, i) => Math.cos(i)));
    opt.step();
    // step 1 of Adam: m = 0.1 g', v = 0.001 g'^2 -> update = -lr * sign(g') (up to eps)
    const d = p.dataSync();
    for (const i of [0, 1, 65535, 65536, 65537, 131071, 131072, n - 1]) {
      const gp = Math.fround(Math.cos(i)) + 0.1 * init[i];
      expect(d[i]).toBeCloseTo(init[i] - 0.01 * Math.sign(gp), 5);
    }
  });

  it('float64 parameters keep float64 state', () => {
    const [a] = makeParams('float64');
    const opt = new optim.RMSprop([a], { momentum: 0.5, centered: true });
    setGrads([a], 1);
    opt.step();
    const st = opt.state.get(a)!;
    expect(st.square_avg.dtype).toBe('float64');
    expect(st.momentum_buffer.dtype).toBe('float64');
  });

  it('memory stays flat across steps', () => {
    const params = makeParams();
    const opt = new optim.Adam(params, { lr: 0.01, amsgrad: true });
    setGrads(params, 1); opt.step();
    const before = torch.memory().tensors;
    for (let t = 2; t < 30; t++) { setGrads(params, t); opt.step(); }
    expect(torch.memory().tensors).toBe(before);
    // state survives an enclosing scope
    torch.scope(() => { setGrads(params, 31); opt.step(); });
    const st = opt.state.get(params[0])!;
    expect(st.exp_avg.is_disposed).toBe(false);
  });
});

describe('optim errors', () => {
  it('a negative lr', () => {
    const [a] = makeParams();
    expect(() => new optim.SGD([a], { lr: -0.1 })).toThrow(/Invalid learning rate: -0.1/);
    expect(() => new optim.Adam([{ params: [a], lr: -1 }])).toThrow(/Invalid learning rate/);
    expect(() => new optim.Adam([a], { betas: [1.5, 0.9] })).toThrow(/Invalid beta parameter at index 0/);
    expect(() => new optim.SGD([a], { lr: 0.1, nesterov: true })).toThrow(/Nesterov momentum requires a momentum and zero dampening/);
  });
  it('a parameter in two groups', () => {
    const [a, b] = makeParams();
    expect(() => new optim.SGD([{ params: [a, b] }, { params: [a] }], { lr: 0.1 })).toThrow(/some parameters appear in more than one parameter group/);
    const opt = new optim.SGD([a], { lr: 0.1 });
    expect(() => opt.add_param_group({ params: [b, a] })).toThrow(/more than one parameter group/);
  });
  it('a non-leaf parameter', () => {
    const [a] = makeParams();
    expect(() => new optim.Adam([a.mul(2)])).toThrow(/can't optimize a non-leaf Tensor/);
  });
  it('a group without params, an empty list, a tensor instead of a list', () => {
    const [a] = makeParams();
    expect(() => new optim.SGD([{ params: [a] }, { lr: 0.1 } as never], { lr: 0.1 })).toThrow(/didn't specify 'params'/);
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow(/empty parameter list/);
    expect(() => new optim.SGD(a as never, { lr: 0.1 })).toThrow(/iterable of Tensors or dicts, but got a Tensor/);
    expect(() => new optim.SGD([a, 3 as never], { lr: 0.1 })).toThrow(/can only optimize Tensors/);
  });
  it('load_state_dict with mismatched groups', () => {
    const [a, b] = makeParams();
    const one = new optim.Adam([a, b]);
    const two = new optim.Adam([{ params: [a] }, { params: [b] }]);
    expect(() => two.load_state_dict(one.state_dict())).toThrow(/different number of parameter groups/);
    const [c] = makeParams();
    const small = new optim.Adam([c]);
    expect(() => one.load_state_dict(small.state_dict())).toThrow(/doesn't match the size of optimizer's group/);
  });
});

/** A saved copy of an optimizer state_dict (tensors copied, as serialization would). */
function save(sd: torch.optim.OptimizerStateDict): torch.optim.OptimizerStateDict {
  const state: Record<number, Record<string, unknown>> = {};
  for (const [k, s] of Object.entries(sd.state)) {
    state[+k] = Object.fromEntries(Object.entries(s).map(([n, v]) => [n, v instanceof torch.Tensor ? (v.ndim === 0 ? v.itemSync() : torch.tensor(v.tolistSync() as number[])) : v]));
  }
  return JSON.parse(JSON.stringify({ param_groups: sd.param_groups })) && { state, param_groups: JSON.parse(JSON.stringify(sd.param_groups)) };
}

describe('state_dict round trip resumes the same trajectory', () => {
  it('rolling back to an earlier state_dict twice', () => {
    const params = makeParams();
    const opt = new optim.Adam(params, { lr: 0.01 });
    setGrads(params, 1); opt.step();
    const saved = save(opt.state_dict());
    const p0 = params.map((p) => p.dataSync());
    const run = () => { for (let t = 2; t <= 5; t++) { setGrads(params, t); opt.step(); } return params.map((p) => [...p.dataSync()]); };
    const first = run();
    for (let k = 0; k < 2; k++) {
      params.forEach((p, i) => p._bytes().set(p0[i]));
      opt.load_state_dict(saved);
      expect(run()).toEqual(first);
    }
  });

  const makers: [string, (p: Tensor[]) => torch.optim.Optimizer][] = [
    ['SGD', (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true })],
    ['Adadelta', (p) => new optim.Adadelta(p, { lr: 1.0, weight_decay: 0.01 })],
    ['Adam', (p) => new optim.Adam(p, { lr: 0.01, amsgrad: true })],
    ['AdamW', (p) => new optim.AdamW(p, { lr: 0.01 })],
    ['Adagrad', (p) => new optim.Adagrad(p, { lr: 0.1, lr_decay: 0.01 })],
    ['RMSprop', (p) => new optim.RMSprop(p, { lr: 0.005, centered: true, momentum: 0.5 })],
    ['Adamax', (p) => new optim.Adamax(p)],
    ['NAdam', (p) => new optim.NAdam(p)],
    ['RAdam', (p) => new optim.RAdam(p)],
  ];
  for (const [name, make] of makers) {
    it(name, () => {
      // uninterrupted
      const pa = makeParams();
      const oa = make(pa);
      const sa = new optim.lr_scheduler.StepLR(oa, 10, { gamma: 0.5 });
      for (let t = 1; t <= 50; t++) { setGrads(pa, t); oa.step(); sa.step(); }
      // 20 steps, save, rebuild, load, 30 more
      const pb = makeParams();
      const ob = make(pb);
      const sb = new optim.lr_scheduler.StepLR(ob, 10, { gamma: 0.5 });
      for (let t = 1; t <= 20; t++) { setGrads(pb, t); ob.step(); sb.step(); }
      const savedOpt = save(ob.state_dict());
      const savedSched = JSON.parse(JSON.stringify(sb.state_dict()));
      const pc = pb.map((p) => torch.tensor(p.tolistSync() as number[]).requires_grad_());
      const oc = make(pc);
      const sc = new optim.lr_scheduler.StepLR(oc, 10, { gamma: 0.5 });
      oc.load_state_dict(savedOpt);
      sc.load_state_dict(savedSched);
      expect(sc.get_last_lr()).toEqual(sb.get_last_lr());
      for (let t = 21; t <= 50; t++) { setGrads(pc, t); oc.step(); sc.step(); }
      pa.forEach((p, k) => expect([...pc[k].dataSync()]).toEqual([...p.dataSync()]));
      expect(sc.get_last_lr()).toEqual(sa.get_last_lr());
      expect(oc.param_groups[0].lr).toBe(oa.param_groups[0].lr);
    });
  }
});
