// torch.save/torch.load with real nn and optim state dicts, and (where /usr/bin/python3 has
// torch) a webtorch-trained model loaded into PyTorch giving the same outputs.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../ts/index.js';
// @ts-expect-error plain JS module without types
import { makeNet, makeOptimizer } from '../examples/mnist/lib.mjs';

const PY = process.env.WEBTORCH_PYTHON ?? '/usr/bin/python3';
const SCRIPT = new URL('./python/safetensors_roundtrip.py', import.meta.url).pathname;
function hasTorch(): boolean {
  try { execFileSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }); return true; } catch { return false; }
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const T = torch as any;
const probeInput = () => torch.arange(2 * 784, { dtype: 'float32' }).remainder(17).div(17).reshape(2, 1, 28, 28);

describe.skipIf(!('nn' in torch) || !('optim' in torch))('save/load of nn and optim state dicts', () => {
  it('model and optimizer state dicts round-trip', () => {
    torch.manual_seed(0);
    const model = makeNet(torch, 'seed');
    const { optimizer } = makeOptimizer(torch, 'seed', model, { lr: 0.01, momentum: 0.5 });
    const x = probeInput(), y = torch.tensor([3, 7]);
    for (let i = 0; i < 2; i++) {
      optimizer.zero_grad();
      T.nn.functional.nll_loss(model.call(x), y).backward();
      optimizer.step();
    }
    const sd = load_(torch.save(model.state_dict()));
    const model2 = makeNet(torch, 'seed');
    model2.load_state_dict(sd);
    const a = model.call(x).dataSync(), b = model2.call(x).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));

    const osd = optimizer.state_dict();
    const back = load_(torch.save(osd));
    expect(back.param_groups.length).toBe(osd.param_groups.length);
    expect(back.param_groups[0].params).toEqual(osd.param_groups[0].params);
    expect(back.param_groups[0].lr).toBe(0.01);
    const k = Object.keys(osd.state)[0];
    expect(back.state[k].momentum_buffer.tolistSync()).toEqual(osd.state[k].momentum_buffer.tolistSync());
    const { optimizer: opt2 } = makeOptimizer(torch, 'seed', model2, { lr: 0.5, momentum: 0.5 });
    opt2.load_state_dict(back);
    expect(opt2.param_groups[0].lr).toBe(0.01);
  });

  it.skipIf(!hasTorch())('a webtorch model gives the same outputs in PyTorch', async () => {
    torch.manual_seed(5);
    const model = makeNet(torch, 'seed');
    const path = join(mkdtempSync(join(tmpdir(), 'webtorch-nn-')), 'mnist_cnn.safetensors');
    await torch.save(model.state_dict(), path);
    const { probe } = JSON.parse(execFileSync(PY, [SCRIPT, 'load_net', path], { encoding: 'utf8' }));
    const ours = torch.no_grad(() => model.call(probeInput()).sum().itemSync()) as number;
    expect(Math.abs(ours - probe)).toBeLessThan(1e-3 * Math.max(1, Math.abs(probe)));
  });
});

function load_(b: Uint8Array) { return torch.load(b); }

describe.skipIf(!('nn' in torch) || !('optim' in torch) || !hasTorch())('optimizer state dicts move both ways with PyTorch', () => {
  for (const name of ['sgd', 'adadelta']) {
    it(`${name}: webtorch -> PyTorch (one step) -> webtorch matches webtorch's own step`, async () => {
      const make = () => {
        const model = makeNet(torch, 'seed');
        const opt = name === 'sgd' ? new T.optim.SGD(model.parameters(), { lr: 0.5, momentum: 0.9 }) : new T.optim.Adadelta(model.parameters(), { lr: 0.5 });
        return { model, opt };
      };
      const x = probeInput(), y = torch.tensor([3, 7]);
      const step = ({ model, opt }: { model: any; opt: any }) => { opt.zero_grad(); T.nn.functional.nll_loss(model.call(x), y).backward(); opt.step(); };
      torch.manual_seed(2);
      const a = make();
      step(a); step(a);
      const dir = mkdtempSync(join(tmpdir(), 'webtorch-opt-'));
      await torch.save({ model: a.model.state_dict(), optimizer: a.opt.state_dict() }, join(dir, 'in.safetensors'));
      execFileSync(PY, [SCRIPT, 'optim_continue', join(dir, 'in.safetensors'), join(dir, 'out.safetensors'), name]);
      step(a); // webtorch's own third step
      const back = await torch.load(join(dir, 'out.safetensors'));
      const b = make();
      b.model.load_state_dict(back.model);
      b.opt.load_state_dict(back.optimizer);
      const close = (p: torch.Tensor, q: torch.Tensor) => {
        const u = p.dataSync(), v = q.dataSync();
        let worst = 0;
        for (let i = 0; i < u.length; i++) worst = Math.max(worst, Math.abs(u[i] - v[i]) / (1e-3 + Math.abs(v[i])));
        return worst;
      };
      const sa = a.model.state_dict(), sb = b.model.state_dict();
      for (const k of Object.keys(sa)) expect(close(sb[k], sa[k]), k).toBeLessThan(1e-3);
      // the loaded optimizer state works: one more step on each stays together
      step(a); step(b);
      const sa2 = a.model.state_dict(), sb2 = b.model.state_dict();
      for (const k of Object.keys(sa2)) expect(close(sb2[k], sa2[k]), k).toBeLessThan(2e-3);
      const ka = Object.keys(a.opt.state_dict().state).length;
      expect(Object.keys(b.opt.state_dict().state).length).toBe(ka);
    });
  }
});
