// torch.vision.models against torchvision 0.14 (test/fixtures/gen_vision_fixtures.py): each model,
// built with num_classes=10, has torchvision's state_dict keys and shapes in the same order; filled
// with the same hash-made weights it gives torchvision's eval-mode output on the same 1x3x64x64
// input; a real torch.save'd squeezenet1_1 checkpoint loads through torch.load and matches too.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as torch from '../ts/index.js';
import * as torchvision from '../ts/vision/index.js';
import type { Tensor } from '../ts/index.js';

const FIX = new URL('./fixtures/', import.meta.url).pathname;
const DATA = JSON.parse(readFileSync(FIX + 'vision.json', 'utf8'));
const { models } = torchvision;
type Builder = (opts?: object) => torch.nn.Module;

/** The generator's fill(k, shape, lo, hi): a counter hash of (k, i) mapped to [lo, hi), float32. */
function fill(k: number, shape: number[], lo: number, hi: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const base = Math.imul(k, 0x9e3779b9) >>> 0;
  for (let i = 0; i < n; i++) {
    let x = (base + i) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    x = (x ^ (x >>> 16)) >>> 0;
    out[i] = lo + (hi - lo) * (x / 4294967296);
  }
  return torch.tensor(out).reshape(shape);
}

function paramRange(name: string, shape: number[]): [number, number] {
  if (name.endsWith('running_var')) return [0.5, 1.5];
  if (name.endsWith('running_mean') || name.endsWith('bias')) return [-0.1, 0.1];
  if (shape.length === 1) return [0.5, 1.5];
  const s = Math.sqrt(6 / (shape.reduce((a, b) => a * b, 1) / shape[0]));
  return [-s, s];
}

function fillModel(model: torch.nn.Module): void {
  const sd = model.state_dict();
  const state: Record<string, Tensor> = {};
  Object.entries(sd).forEach(([name, t], k) => {
    state[name] = name.endsWith('num_batches_tracked') ? t : fill(k, t.shape, ...paramRange(name, t.shape));
  });
  model.load_state_dict(state);
}

/** |a - b| <= 1e-4 * |b| + 1e-5 * max|b| elementwise. */
function expectClose(got: Tensor, want: number[]): void {
  const g = Array.from(got.dataSync() as Float32Array);
  expect(g.length).toBe(want.length);
  const scale = Math.max(...want.map(Math.abs));
  const bad = g.map((v, i) => [i, v, want[i]]).filter(([, v, w]) => !(Math.abs(v - w) <= 1e-4 * Math.abs(w) + 1e-5 * scale));
  expect(bad).toEqual([]);
}

const input = () => fill(1000, [1, 3, 64, 64], -1, 1);

describe('torch.vision.models against torchvision', () => {
  for (const [name, rec] of Object.entries(DATA.models) as [string, { keys: string[]; shapes: number[][]; output: number[]; repr?: string }][]) {
    it(`${name}: state_dict keys/shapes, repr and output`, () => {
      torch.manual_seed(0);
      const model = (models as unknown as Record<string, Builder>)[name]({ num_classes: 10 }).eval();
      const sd = model.state_dict();
      expect(Object.keys(sd)).toEqual(rec.keys);
      expect(Object.values(sd).map((t) => t.shape)).toEqual(rec.shapes);
      if (rec.repr) expect(String(model)).toBe(rec.repr);
      fillModel(model);
      torch.no_grad(() => expectClose(model.call(input()), rec.output));
    }, 600_000); // VGG-16 holds 138M parameters: building, filling and loading them is the cost
  }

  it('loads a torch.save\'d torchvision checkpoint (squeezenet1_1) and matches its output', () => {
    const c = DATA.checkpoint;
    const state = torch.load(new Uint8Array(readFileSync(FIX + c.file)));
    const model = models.squeezenet1_1({ num_classes: c.num_classes });
    expect(model.load_state_dict(state)).toEqual({ missing_keys: [], unexpected_keys: [] });
    model.eval();
    torch.no_grad(() => expectClose(model.call(input()), c.output));
  });

  it('loads a trained DenseNet checkpoint (batch-norm statistics, int64 num_batches_tracked) and matches', () => {
    const c = DATA.checkpoint_bn;
    const state = torch.load(new Uint8Array(readFileSync(FIX + c.file)));
    const model = new models.DenseNet(c.options);
    expect(model.load_state_dict(state)).toEqual({ missing_keys: [], unexpected_keys: [] });
    expect((model.features.get(1) as torch.nn.BatchNorm2d).num_batches_tracked!.itemSync()).toBe(1);
    model.eval();
    torch.no_grad(() => expectClose(model.call(input()), c.output));
  });

  it('follows torchvision\'s init schemes', () => {
    torch.manual_seed(1);
    const r = models.resnet18({ num_classes: 10, zero_init_residual: true });
    // kaiming_normal_(fan_out, relu): std = sqrt(2 / (out_channels * k * k))
    const w = r.conv1.weight;
    expect(Math.abs((w.std().itemSync() as number) - Math.sqrt(2 / (64 * 49)))).toBeLessThan(0.1 * Math.sqrt(2 / (64 * 49)));
    expect(((r.layer1.get(0) as unknown as { bn2: { weight: Tensor } }).bn2.weight.abs().sum().itemSync())).toBe(0);
    expect(r.bn1.running_var!.sum().itemSync()).toBe(64);
    const v = models.mobilenet_v2({ num_classes: 1000 });
    const fc = v.classifier.get(1) as torch.nn.Linear;
    expect(Math.abs((fc.weight.std().itemSync() as number) - 0.01)).toBeLessThan(0.002);
    expect(fc.bias!.abs().sum().itemSync()).toBe(0);
    const s = models.squeezenet1_1({ num_classes: 10 });
    const final = s.classifier.get(1) as torch.nn.Conv2d;
    expect(Math.abs((final.weight.std().itemSync() as number) - 0.01)).toBeLessThan(0.003);
  });

  it('accepts weights=null and refuses to download weights', () => {
    expect(models.squeezenet1_1({ weights: null, num_classes: 3 }).classifier.get(1)).toBeInstanceOf(torch.nn.Conv2d);
    expect(() => models.resnet18({ weights: 'IMAGENET1K_V1' } as never)).toThrow(/resnet18: pretrained weights are not downloaded/);
    expect(() => new models.SqueezeNet('2_0' as never)).toThrow(/Unsupported SqueezeNet version 2_0: 1_0 or 1_1 expected/);
  });

  it('classifies a batch and trains one step (modules are ordinary nn.Modules)', () => {
    torch.manual_seed(0);
    const m = models.resnet18({ num_classes: 4 });
    const x = torch.randn(2, 3, 32, 32), y = torch.tensor([1, 3]);
    const opt = new torch.optim.SGD(m.parameters(), { lr: 0.01 });
    const loss = torch.nn.functional.cross_entropy(m.call(x), y);
    loss.backward();
    opt.step();
    expect(m.fc.weight.grad!.abs().sum().itemSync()).toBeGreaterThan(0);
    expect(m.call(x).shape).toEqual([2, 4]);
  });
});
