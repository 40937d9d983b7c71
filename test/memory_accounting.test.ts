// torch.memory() reports what is really held (docs/MEMORY.md, "What torch.memory() counts"): a
// PyTorch-style training loop with no dispose keeps its counters bounded, awaited or synchronous,
// and dispose takes effect at once.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import { collected } from './helpers/collected.js';

const { nn, optim } = torch;
const F = nn.functional;
const STEPS = 1500;
const turn = () => new Promise<void>((r) => setImmediate(r));

/** a seed-net-like model (conv, relu, max-pool, linear, log_softmax), SGD with momentum, 1500 batches of 16 */
function setup() {
  torch.manual_seed(0);
  const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 4 * 4, 10), new nn.LogSoftmax(1));
  const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });
  const ds = new torch.utils.data.TensorDataset(torch.randn([STEPS * 16, 1, 10, 10]), torch.randint(0, 10, [STEPS * 16]));
  const loader = new torch.utils.data.DataLoader(ds, { batch_size: 16, shuffle: true });
  /** one step as PyTorch writes it: nothing disposed */
  const step = (x: torch.Tensor, y: torch.Tensor) => {
    opt.zero_grad();
    const loss = F.nll_loss(model.call(x), y);
    loss.backward();
    opt.step();
    return loss;
  };
  return { loader, step };
}

/** the counters every 100 steps, from step 100 on */
type Sample = { tensors: number; bytes: number; arrayBufferBytes: number };
const sample = (): Sample => { const m = torch.memory(); return { tensors: m.tensors, bytes: m.bytes, arrayBufferBytes: m.arrayBufferBytes! }; };
const MiB = 2 ** 20;

/**
 * What one step leaves for the collector (storages and bytes not released by the step itself:
 * inside a synchronous job the counters only fall by dispose). The loops must stay below a third
 * of 1500 steps' worth: garbage not yet collected is really held, but it must not pile up.
 */
function ceilings(step: (x: torch.Tensor, y: torch.Tensor) => torch.Tensor) {
  const x = torch.randn([16, 1, 10, 10]), y = torch.randint(0, 10, [16]);
  step(x, y); // warm-up: the optimizer's momentum buffers appear
  const m0 = torch.memory();
  step(x, y);
  const m1 = torch.memory();
  const perStep = { tensors: m1.tensors - m0.tensors + 2, bytes: m1.bytes - m0.bytes + x.numel() * 4 + y.numel() * 8 };
  expect(perStep.tensors).toBeGreaterThan(10);
  return { tensors: (STEPS * perStep.tensors) / 3, bytes: (STEPS * perStep.bytes) / 3 };
}

describe('torch.memory() fields', () => {
  it('dispose takes a storage out of tensors and bytes at once, and its array into poolBytes', () => {
    const m0 = torch.memory();
    const t = torch.ones([4096]); // 16 KiB: big enough for the reuse pool
    const v = t.view([64, 64]);
    const m1 = torch.memory();
    expect([m1.tensors - m0.tensors, m1.bytes - m0.bytes]).toEqual([1, 16384]);
    v.dispose();
    expect(torch.memory().tensors - m0.tensors).toBe(1); // the base still holds the storage
    t.dispose();
    const m2 = torch.memory();
    expect([m2.tensors - m0.tensors, m2.bytes - m0.bytes]).toEqual([0, 0]);
    expect(m2.poolBytes - m1.poolBytes).toBe(16384);
    expect(m2.peakBytes).toBeGreaterThanOrEqual(m1.bytes);
  });

  it('arrayBufferBytes is the runtime allocator: it sees a large tensor come and go', async () => {
    const m0 = torch.memory();
    expect(typeof m0.arrayBufferBytes).toBe('number');
    const t = torch.zeros([64 * 2 ** 18]); // 64 MiB (the collector may free other buffers meanwhile)
    expect(torch.memory().arrayBufferBytes! - m0.arrayBufferBytes!).toBeGreaterThanOrEqual(48 * MiB);
    expect(torch.memory().wasmBytes).toBe(m0.wasmBytes);
    t.dispose();
    expect(torch.memory().bytes).toBe(m0.bytes);
  });

  it('CPU tensors leave the GPU counters alone', () => {
    const m0 = torch.memory();
    const t = torch.ones([100]);
    const m1 = torch.memory();
    expect([m1.gpuTensors, m1.gpuBytes, m1.gpuBuffers]).toEqual([m0.gpuTensors, m0.gpuBytes, m0.gpuBuffers]);
    t.dispose();
  });
});

describe('torch.memory() in a training loop without dispose', () => {
  it('an async loop (for await over a DataLoader): tensors and bytes stay bounded at every step', async () => {
    const { loader, step } = setup();
    const ceiling = ceilings(step);
    const base = sample();
    const seen: Sample[] = [];
    let i = 0;
    for await (const [x, y] of loader) {
      const loss = step(x, y);
      if (++i % 100 === 0) { await loss.item(); await collected(); seen.push(sample()); }
    }
    expect(i).toBe(STEPS);
    const tensors = seen.map((s) => s.tensors - base.tensors), bytes = seen.map((s) => (s.bytes - base.bytes) / MiB);
    expect(Math.max(...tensors), `live tensors every 100 steps: ${tensors.join(', ')}`).toBeLessThan(ceiling.tensors);
    expect(Math.max(...bytes), `live MiB every 100 steps: ${bytes.map((b) => b.toFixed(1)).join(', ')}`).toBeLessThan(ceiling.bytes / MiB);
  });

  it('a synchronous loop: the allocator figure stays bounded during the loop; tensors and bytes once the event loop turns', async () => {
    const { loader, step } = setup();
    const ceiling = ceilings(step);
    const base = sample();
    const seen: Sample[] = [];
    let i = 0;
    for (const [x, y] of loader) {
      const loss = step(x, y);
      if (++i % 100 === 0) { loss.itemSync(); seen.push(sample()); }
    }
    expect(i).toBe(STEPS);
    const ab = seen.map((s) => (s.arrayBufferBytes - base.arrayBufferBytes) / MiB);
    expect(Math.max(...ab), `arrayBufferBytes growth (MiB) every 100 steps: ${ab.map((b) => b.toFixed(1)).join(', ')}`).toBeLessThan(64);
    // inside the job JS cannot see what the collector freed: the counters include the job's garbage
    const during = seen[seen.length - 1].tensors - base.tensors;
    // (which is what makes the ceiling bite: without the collector's report it is exceeded)
    if (!('cleanupSome' in FinalizationRegistry.prototype)) expect(during).toBeGreaterThan(ceiling.tensors);
    const over = () => torch.memory().tensors - base.tensors >= ceiling.tensors;
    for (let k = 0; k < 5 && over(); k++) await turn();
    // The counters catch up with what the collector has freed. V8 collects on its own schedule
    // (it depends on the rest of the process: in the full suite, other test files' heaps), so the
    // last few hundred steps' garbage may not be collected yet: then let it run once, and turn.
    if (over()) await collected();
    const after = sample();
    expect(after.tensors - base.tensors, `live tensors at the end of the loop ${during}, after the event loop turned ${after.tensors - base.tensors}`).toBeLessThan(ceiling.tensors);
    expect((after.bytes - base.bytes) / MiB).toBeLessThan(ceiling.bytes / MiB);
  });
});
