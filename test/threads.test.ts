// Threads for the wasm kernels (ts/backend/wasm/threads.ts, thread_pool.ts): set/get semantics and
// errors as PyTorch's, results on two threads bit-identical to one (GEMM blocks, a training step),
// wasm memory flat across threaded calls, and a script with a pool running exits by itself.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../ts/index.js';
import { wasmMemoryBytes } from '../ts/backend/wasm/runtime.js';
import { activeThreads } from '../ts/backend/wasm/threads.js';

const ROOT = join(__dirname, '..');
const initial = torch.get_num_threads();
afterAll(async () => { torch.set_num_threads(initial); await torch.backends.wasm.threads_ready(); });

async function on<T>(n: number, fn: () => Promise<T>): Promise<T> {
  torch.set_num_threads(n);
  expect(await torch.backends.wasm.threads_ready()).toBe(true);
  expect(activeThreads()).toBe(n);
  return fn();
}

describe('set_num_threads / get_num_threads', () => {
  it('default to the cores available, and set what get returns', async () => {
    expect(Number.isInteger(initial) && initial >= 1).toBe(true);
    torch.set_num_threads(3);
    expect(torch.get_num_threads()).toBe(3);
    torch.set_num_threads(1);
    expect(torch.get_num_threads()).toBe(1);
    expect(await torch.backends.wasm.threads_ready()).toBe(true);
    expect(activeThreads()).toBe(1);
  });
  it('reject what PyTorch rejects, with its messages', () => {
    expect(() => torch.set_num_threads(0)).toThrow('set_num_threads expects a positive integer');
    expect(() => torch.set_num_threads(-1)).toThrow('set_num_threads expects a positive integer');
    expect(() => torch.set_num_threads(1.5)).toThrow('set_num_threads expects an int, but got float');
    expect(() => torch.set_num_threads(true as unknown as number)).toThrow('set_num_threads expects an int, but got bool');
    expect(() => torch.set_num_threads('2' as unknown as number)).toThrow('set_num_threads expects an int, but got string');
    expect(torch.get_num_threads()).toBe(1);
  });
  it('threads are available in Node', () => {
    expect(torch.backends.wasm.threads_available()).toBe(true);
  });
});

describe('two threads give the bits of one', () => {
  beforeAll(() => torch.manual_seed(0));
  // [a shape, b shape, transpose a, transpose b]: row and column blocks, tails, batches, strided views
  const cases: [number[], number[], boolean, boolean][] = [
    [[300, 500], [500, 400], false, false],
    [[70, 300], [300, 900], false, false],
    [[133, 257], [257, 21], true, false],
    [[2, 90, 120], [120, 300], false, true],
    [[4, 64, 64], [4, 64, 64], false, false],
    [[1, 4000], [4000, 300], false, false],
    [[300, 3], [3, 300], false, false],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [as, bs, ta, tb] of cases) {
      it(`matmul ${dtype} ${as} @ ${bs}${ta ? ' (a transposed)' : ''}${tb ? ' (b transposed)' : ''}`, async () => {
        let a = torch.randn(ta ? [...as.slice(0, -2), as.at(-1)!, as.at(-2)!] : as, { dtype });
        let b = torch.randn(tb ? [...bs.slice(0, -2), bs.at(-1)!, bs.at(-2)!] : bs, { dtype });
        if (ta) a = a.transpose(-1, -2);
        if (tb) b = b.transpose(-1, -2);
        const one = await on(1, () => torch.matmul(a, b).data());
        const two = await on(2, () => torch.matmul(a, b).data());
        expect(two.length).toBe(one.length);
        expect(Array.from(two).every((v, i) => Object.is(v, one[i])), 'bit-identical').toBe(true);
      });
    }
  }

  it('conv2d forward and backward (the column-matrix GEMMs)', async () => {
    torch.manual_seed(2);
    const x = torch.randn([16, 8, 20, 20]), w = torch.randn([24, 8, 3, 3]), gy = torch.randn([16, 24, 18, 18]);
    async function run(n: number): Promise<Float32Array[]> {
      return on(n, async () => {
        const xr = x.clone().requires_grad_(true), wr = w.clone().requires_grad_(true);
        const y = torch.nn.functional.conv2d(xr, wr);
        y.backward(gy);
        return Promise.all([y, xr.grad!, wr.grad!].map((t) => t.data() as Promise<Float32Array>));
      });
    }
    const one = await run(1), two = await run(2);
    for (let i = 0; i < 3; i++) expect(Array.from(two[i]).every((v, j) => Object.is(v, one[i][j])), ['y', 'dx', 'dw'][i]).toBe(true);
  });

  it('a training step of an MNIST-sized MLP with Adam', async () => {
    async function train(n: number): Promise<number[][]> {
      return on(n, async () => {
        torch.manual_seed(1);
        const net = new torch.nn.Sequential(new torch.nn.Linear(784, 128), new torch.nn.ReLU(), new torch.nn.Linear(128, 10));
        const opt = new torch.optim.Adam(net.parameters(), { lr: 1e-3 });
        const x = torch.randn([64, 784]), y = torch.randint(0, 10, [64]);
        for (let s = 0; s < 3; s++) {
          opt.zero_grad();
          torch.nn.functional.cross_entropy(net.forward(x), y).backward();
          opt.step();
        }
        return Promise.all(net.parameters().map(async (p) => Array.from(await p.data())));
      });
    }
    const one = await train(1), two = await train(2);
    for (let i = 0; i < one.length; i++) expect(two[i].every((v, j) => Object.is(v, one[i][j])), `parameter ${i}`).toBe(true);
  });
});

describe('resources', () => {
  it('wasm memory stays flat over threaded products', async () => {
    await on(2, async () => {
      const a = torch.randn([256, 512]), b = torch.randn([512, 256]);
      for (let i = 0; i < 5; i++) torch.matmul(a, b);
      const before = wasmMemoryBytes();
      for (let i = 0; i < 200; i++) torch.matmul(a, b);
      expect(wasmMemoryBytes()).toBe(before);
    });
  });

  it.skipIf(!existsSync(join(ROOT, 'dist/webtorch.js')))('a script with a running pool exits by itself', () => {
    const script = `const torch = await import(${JSON.stringify(join(ROOT, 'dist/webtorch.js'))});
torch.set_num_threads(2);
if (!(await torch.backends.wasm.threads_ready())) throw new Error('pool did not start');
const a = torch.randn([200, 300]);
console.log('sum', (await torch.matmul(a, a.t()).sum().data())[0] !== undefined);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.error, 'did not exit within 20 s').toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('sum true');
    expect(r.status).toBe(0);
  });
});
