// Optimizers on webgpu parameters (the fused WGSL updates) against the same steps on the CPU, and
// moving modules between devices: Module.to('webgpu') in place, `await model.cpu()`, state dicts.
import { it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../../ts/index.js';
import type { Tensor } from '../../ts/index.js';
import { describeGpu, gpu, expectGpuClose } from '../helpers/gpu.js';

const { optim, nn } = torch;
const here = dirname(fileURLToPath(import.meta.url));

// every optimizer and option combination of the PyTorch trajectory fixtures (float32 cases)
interface Case { id: string; optim: string; dtype: string; options: Record<string, unknown>; groups: ({ params: number[] } & Record<string, unknown>)[] | null }
const cases = (JSON.parse(readFileSync(join(here, '..', 'fixtures', 'optim_trajectories.json'), 'utf8')) as { cases: Case[] })
  .cases.filter((c) => c.dtype === 'float32');

const STEPS = 8; // past RAdam's rectification threshold (step 6)
const C = [0.7, -1.3, 0.4];

/**
 * Three parameters on `device`: a [2, 3] one, a [5] one, and a non-contiguous [4, 3] one (the
 * transpose of a [3, 4] tensor); the same values on either device.
 */
function makeParams(device: 'cpu' | 'webgpu'): Tensor[] {
  torch.manual_seed(7);
  const a = torch.randn([2, 3]), b = torch.randn([5]), c = torch.randn([3, 4]);
  const mv = (t: Tensor) => (device === 'webgpu' ? t.to('webgpu') : t);
  return [mv(a).requires_grad_(), mv(b).requires_grad_(), mv(c).t().requires_grad_()];
}

/** Gradients that depend on the parameters (so errors would compound): p C_k + sin(...), the first one non-contiguous. */
function setGrads(params: Tensor[], t: number): void {
  torch.no_grad(() => params.forEach((p, k) => {
    const base = k === 0 ? p.t() : p;
    // the sines on the CPU: WGSL's sin is only accurate to about 1e-4 here, which is not what is under test
    const s = torch.arange(base.numel()).mul(0.11).add(0.37 * t + 0.5 * k).sin().reshape(base.shape).to(p.device);
    const g = base.mul(C[k]).add(s);
    p.grad = k === 0 ? g.t() : g;
  }));
}

function build(c: Case, params: Tensor[]): torch.optim.Optimizer {
  const Cls = (optim as unknown as Record<string, new (p: unknown, o: unknown) => torch.optim.Optimizer>)[c.optim];
  const groups = c.groups ? c.groups.map((g) => ({ ...g, params: g.params.map((k) => params[k]) })) : params;
  return new Cls(groups, c.options);
}

describeGpu('optimizers on webgpu match the CPU', () => {
  for (const c of cases) {
    it(c.id, async () => {
      const cp = makeParams('cpu'), gp = makeParams('webgpu');
      expect(gp[2].is_contiguous()).toBe(false);
      const co = build(c, cp), go = build(c, gp);
      for (let t = 0; t < STEPS; t++) {
        setGrads(cp, t); setGrads(gp, t);
        expect(gp[0].grad!.is_contiguous()).toBe(false);
        co.step(); go.step();
      }
      for (let k = 0; k < cp.length; k++) {
        expect(gp[k].is_contiguous(), 'the parameter keeps its view').toBe(k !== 2);
        await expectGpuClose(gp[k].detach(), cp[k].detach(), `${c.id} param ${k}`);
        const cs = co.state.get(cp[k])!, gs = go.state.get(gp[k])!;
        if (!cs) { expect(gs, 'a parameter outside every group has no state').toBeUndefined(); continue; }
        expect(Object.keys(gs).sort()).toEqual(Object.keys(cs).sort());
        for (const [key, v] of Object.entries(cs)) {
          if (!(v instanceof torch.Tensor)) { expect(gs[key], key).toEqual(v); continue; }
          if (key === 'step' || key === 'mu_product') {
            // 0-dim counters stay CPU tensors, as PyTorch keeps them (not capturable/fused)
            expect(gs[key].device.type, key).toBe('cpu');
            expect(gs[key].itemSync(), key).toBe(v.itemSync());
          } else {
            await expectGpuClose(gs[key], v, `${c.id} state ${key} of param ${k}`);
          }
        }
      }
    });
  }
});

describeGpu('optimizer state and gradients on webgpu', () => {
  it('zero_grad on webgpu gradients: to zeros in place, or to null', async () => {
    const p = torch.ones([3], { device: 'webgpu' }).requires_grad_();
    p.mul(2).sum().backward();
    const opt = new optim.SGD([p], { lr: 0.1 });
    const g = p.grad!;
    opt.zero_grad({ set_to_none: false });
    expect(p.grad).toBe(g);
    expect(await g.tolist()).toEqual([0, 0, 0]);
    opt.zero_grad();
    expect(p.grad).toBeNull();
  });
  it('parameters without gradients are skipped; empty parameters are fine', async () => {
    const a = torch.ones([2], { device: 'webgpu' }).requires_grad_();
    const e = torch.zeros([0], { device: 'webgpu' }).requires_grad_();
    const opt = new optim.Adam([a, e], { lr: 0.1 });
    e.grad = torch.zeros([0], { device: 'webgpu' });
    opt.step();
    expect(await a.tolist()).toEqual([1, 1]);
    expect(opt.state.get(e)!.exp_avg.device.type).toBe('webgpu');
  });
  it('a webgpu parameter with a cpu gradient is the mixed-device error', () => {
    const p = torch.ones([2], { device: 'webgpu' }).requires_grad_();
    p.grad = torch.ones([2]);
    expect(() => new optim.SGD([p], { lr: 0.1 }).step()).toThrow(/Expected all tensors to be on the same device.*webgpu:0 and cpu/);
    const q = torch.ones([2]).requires_grad_();
    q.grad = torch.ones([2], { device: 'webgpu' });
    expect(() => new optim.SGD([q], { lr: 0.1 }).step()).toThrow(/same device/);
  });
  it('a gradient sharing the parameter\'s buffer is read from a copy', async () => {
    const p = torch.tensor([1, 2, 3], { dtype: 'float32', device: 'webgpu' }).requires_grad_();
    p.grad = p.detach();
    new optim.SGD([p], { lr: 0.5 }).step();
    expect(await p.tolist()).toEqual([0.5, 1, 1.5]);
  });
  it('load_state_dict puts state on the parameter\'s device; steps continue as on the CPU', async () => {
    const cp = makeParams('cpu'), gp = makeParams('webgpu');
    const co = new optim.Adam(cp, { lr: 0.05, amsgrad: true });
    for (let t = 0; t < 3; t++) { setGrads(cp, t); co.step(); }
    // a CPU checkpoint into an optimizer of webgpu parameters (the same values)
    torch.no_grad(() => gp.forEach((p, k) => p.copy_(cp[k])));
    const go = new optim.Adam(gp, { lr: 0.05, amsgrad: true });
    go.load_state_dict(co.state_dict());
    const s = go.state.get(gp[0])!;
    expect(s.exp_avg.device.type).toBe('webgpu');
    expect(s.max_exp_avg_sq.device.type).toBe('webgpu');
    expect(s.step.device.type).toBe('cpu');
    for (let t = 3; t < 6; t++) { setGrads(cp, t); setGrads(gp, t); co.step(); go.step(); }
    for (let k = 0; k < 3; k++) await expectGpuClose(gp[k].detach(), cp[k].detach(), `param ${k}`);
    // webgpu state into webgpu parameters copies on the device; into cpu parameters it cannot be read synchronously
    const again = new optim.Adam(gp, { lr: 0.05, amsgrad: true });
    again.load_state_dict(go.state_dict());
    expect(again.state.get(gp[1])!.exp_avg).not.toBe(go.state.get(gp[1])!.exp_avg);
    await expectGpuClose(again.state.get(gp[1])!.exp_avg, co.state.get(cp[1])!.exp_avg, 'copied state');
    expect(() => new optim.Adam(cp).load_state_dict(go.state_dict())).toThrow(/state 'exp_avg' is on webgpu but its parameter is on the cpu/);
  });
  it('param groups keep their own options on webgpu', async () => {
    const cp = makeParams('cpu'), gp = makeParams('webgpu');
    const groups = (ps: Tensor[]) => [{ params: [ps[0], ps[2]], momentum: 0.9, nesterov: true }, { params: [ps[1]], lr: 0.3, weight_decay: 0.1 }];
    const co = new optim.SGD(groups(cp), { lr: 0.05 }), go = new optim.SGD(groups(gp), { lr: 0.05 });
    for (let t = 0; t < 4; t++) { setGrads(cp, t); setGrads(gp, t); co.step(); go.step(); }
    for (let k = 0; k < 3; k++) await expectGpuClose(gp[k].detach(), cp[k].detach(), `param ${k}`);
    expect(go.state.get(gp[0])!.momentum_buffer.device.type).toBe('webgpu');
    expect(go.state.get(gp[1])!.momentum_buffer).toBeNull();
  });
});

class Net extends nn.Module {
  fc1 = new nn.Linear(4, 6);
  bn = new nn.BatchNorm1d(6);
  fc2 = new nn.Linear(6, 2);
  forward(x: Tensor): Tensor { return this.fc2.call(this.bn.call(this.fc1.call(x)).relu()); }
}

describeGpu('Module.to(webgpu) and await module.cpu()', () => {
  it('moves parameters, gradients and buffers in place; Parameters keep their identity', async () => {
    for (const dev of ['webgpu', { device: 'webgpu' }, torch.device('webgpu')] as const) {
      torch.manual_seed(1);
      const net = new Net();
      const params = net.parameters();
      const values = params.map((p) => p.detach().clone());
      const rm = net.bn.running_mean!.clone();
      net.fc1.weight.grad = torch.ones([6, 4]);
      const grad = net.fc1.weight.grad;
      expect(net.to(dev as never)).toBe(net);
      expect(net.parameters().length).toBe(params.length);
      params.forEach((p, k) => {
        expect(p).toBe(net.parameters()[k]);
        expect(p).toBeInstanceOf(nn.Parameter);
        expect(p.requires_grad).toBe(true);
      });
      for (let k = 0; k < params.length; k++) await expectGpuClose(params[k].detach(), values[k], `param ${k}`);
      expect(net.fc1.weight.grad).toBe(grad);
      await expectGpuClose(grad, torch.ones([6, 4]), 'grad');
      for (const b of net.buffers()) expect(b.device.type).toBe('webgpu');
      await expectGpuClose(net.bn.running_mean!, rm, 'running_mean');
      expect(net.bn.num_batches_tracked!.dtype).toBe('int32');
      expect(net.to('webgpu')).toBe(net); // already there: nothing moves
    }
  });
  it("to('cpu') on a webgpu model points to `await model.cpu()`; cuda is not available", () => {
    const net = new Net().to('webgpu');
    expect(() => net.to('cpu')).toThrow(/await model\.cpu\(\)/);
    expect(() => net.to({ device: 'cpu' })).toThrow(/await model\.cpu\(\)/);
    expect(() => net.to('cuda')).toThrow(/not available/);
    expect(() => net.to('float64')).toThrow(/float64/);
    // a model that cannot move is left as it was, not half moved
    const d = new Net().double();
    expect(() => d.to('webgpu')).toThrow(/Module\.to: webgpu tensors cannot be float64/);
    expect(d.parameters().every((p) => p.device.type === 'cpu' && p.dtype === 'float64')).toBe(true);
    const f = new Net();
    expect(() => f.to({ device: 'webgpu', dtype: 'float64' })).toThrow(/float64/);
    expect(f.parameters().every((p) => p.device.type === 'cpu' && p.dtype === 'float32')).toBe(true);
    expect(f.to({ device: 'webgpu', dtype: 'float32' }).fc1.weight.device.type).toBe('webgpu');
  });
  it('await model.cpu() brings everything back in place', async () => {
    const net = new Net();
    const params = net.parameters();
    const values = params.map((p) => p.detach().clone());
    net.to('webgpu');
    net.fc2.bias!.grad = torch.full([2], 3, { device: 'webgpu' });
    expect(await net.cpu()).toBe(net);
    params.forEach((p, k) => {
      expect(net.parameters()[k]).toBe(p);
      expect(p.device.type).toBe('cpu');
      expect(p.dataSync()).toEqual(values[k].dataSync());
    });
    expect(net.fc2.bias!.grad!.device.type).toBe('cpu');
    expect(net.fc2.bias!.grad!.tolistSync()).toEqual([3, 3]);
    for (const b of net.buffers()) expect(b.device.type).toBe('cpu');
    expect(await net.cpu()).toBe(net);
  });
  it('state_dict of a webgpu model is on webgpu; load_state_dict copies across devices; save needs cpu tensors', async () => {
    torch.manual_seed(3);
    const src = new Net();
    const dst = new Net().to('webgpu');
    dst.load_state_dict(src.state_dict());
    const sd = dst.state_dict();
    for (const [k, v] of Object.entries(src.state_dict())) {
      expect(sd[k].device.type, k).toBe('webgpu');
      if (v.dtype === 'float32') await expectGpuClose(sd[k], v, k);
    }
    expect(() => torch.save(sd)).toThrow(/tensor 'fc1\.weight' is on webgpu.*await model\.cpu\(\)/);
    expect(() => src.load_state_dict(sd)).toThrow(/await src\.cpu\(\)/);
    await dst.cpu();
    expect(torch.load(torch.save(dst.state_dict()))['fc2.bias'].dataSync()).toEqual(src.fc2.bias!.dataSync());
  });
  it('optimizers built before or after the move keep working (Adagrad\'s eager state follows the parameters)', async () => {
    torch.manual_seed(5);
    const a = new nn.Linear(3, 2), b = new nn.Linear(3, 2);
    b.load_state_dict(a.state_dict());
    const before = new optim.Adagrad(a.parameters(), { lr: 0.1 });
    a.to('webgpu');
    const after = new optim.Adagrad(b.parameters(), { lr: 0.1 }); // b stays on the CPU as the reference
    for (let t = 0; t < 3; t++) {
      setGrads([a.weight, a.bias!], t); setGrads([b.weight, b.bias!], t);
      before.step(); after.step();
    }
    expect(before.state.get(a.weight)!.sum.device.type).toBe('webgpu');
    await expectGpuClose(a.weight.detach(), b.weight.detach(), 'weight');
    await expectGpuClose(a.bias!.detach(), b.bias!.detach(), 'bias');
    // back on the CPU, state left on webgpu cannot follow synchronously
    await a.cpu();
    setGrads([a.weight, a.bias!], 3);
    expect(() => before.step()).toThrow(/state 'sum' is on webgpu but its parameter is on the cpu/);
  });
  it('a small training loop on webgpu (Linear + MSE, SGD) lowers the loss', async () => {
    torch.manual_seed(11);
    const x = torch.randn([32, 3]);
    const y = x.matmul(torch.tensor([[1.5], [-2], [0.5]])).add(0.3);
    const model = new nn.Linear(3, 1).to('webgpu');
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const gx = gpu(x), gy = gpu(y);
    const losses: number[] = [];
    for (let t = 0; t < 30; t++) {
      opt.zero_grad();
      const loss = nn.functional.mse_loss(model.call(gx), gy);
      loss.backward();
      opt.step();
      if (t % 10 === 0 || t === 29) losses.push(Number(await loss.item()));
    }
    expect(model.weight.device.type).toBe('webgpu');
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.05);
  });
});
