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
import { gemmBlocks, gemmWorkspace, GEMM_ARGS } from '../ts/backend/wasm/gemm_split.js';
import { K, kernelHeap } from '../ts/backend/wasm/runtime.js';

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

  // A data race, not a rounding difference: a block can need a larger workspace than the whole
  // product (the kernel splits m and n into even panels), and threads given the whole product's
  // workspace size packed panels over each other's (70x900 f64 came out wrong by ~200, at random).
  it('each thread\'s workspace fits every block it may run', async () => {
    await on(2, async () => {
      for (const [s, es] of [['f32', 4], ['f64', 8]] as const) {
        for (const [m, n, k] of [[70, 900, 300], [133, 21, 257], [300, 400, 500], [1, 300, 4000]]) {
          const calls: number[] = [];
          gemmBlocks(calls, 1, m, n, k, 0, k, 1, 0, n, 1, 0, es);
          const ws = gemmWorkspace(`gemm_${s}`, calls);
          for (let i = 0; i < calls.length; i += GEMM_ARGS) {
            expect(ws, `${s} ${m}x${n}x${k} block ${calls.slice(i, i + 3)}`).toBeGreaterThanOrEqual(K[`gemm_${s}_workspace`](calls[i], calls[i + 1], calls[i + 2]));
          }
        }
      }
      // the case that raced: the block needs more than the whole
      const calls: number[] = [];
      gemmBlocks(calls, 1, 70, 900, 300, 0, 300, 1, 0, 900, 1, 0, 8);
      expect(calls.length).toBe(2 * GEMM_ARGS);
      expect(gemmWorkspace('gemm_f64', calls)).toBeGreaterThan(K.gemm_f64_workspace(70, 900, 300));
    });
  });

  it('products stay bit-identical across pools restarted at other sizes', async () => {
    torch.manual_seed(3);
    const a = torch.randn([70, 300], { dtype: 'float64' }), b = torch.randn([300, 900], { dtype: 'float64' });
    const one = await on(1, () => torch.matmul(a, b).data());
    for (const n of [3, 2, 3, 1, 2, 2, 2]) {
      for (let r = 0; r < 3; r++) {
        const got = await on(n, () => torch.matmul(a, b).data());
        expect(Array.from(got).every((v, i) => Object.is(v, one[i])), `${n} threads, call ${r}`).toBe(true);
      }
    }
  });

  // [x shape, weight shape, stride, padding, groups]: one sample per product (18 x 18 outputs; a
  // chunk's products go to the threads whole), whole
  // chunks per product with padding and stride (6 x 6), two groups, and Winograd (3x3, stride 1, 16
  // channels or more: transforms in slices of samples, 16 GEMMs per chunk in one dispatch, 3 chunks)
  const convs: [number[], number[], number, number, number][] = [
    [[16, 8, 20, 20], [24, 8, 3, 3], 1, 0, 1],
    [[12, 16, 26, 26], [32, 16, 3, 3], 1, 1, 1],
    [[21, 6, 12, 12], [10, 6, 5, 5], 2, 2, 1],
    [[9, 8, 20, 20], [12, 4, 3, 3], 1, 1, 2],
  ];
  for (const [xs, ws, stride, padding, groups] of convs) {
    it(`conv2d forward and backward, x ${xs} w ${ws} stride ${stride} padding ${padding} groups ${groups} (column matrices, GEMMs)`, async () => {
      torch.manual_seed(2);
      const x = torch.randn(xs), w = torch.randn(ws);
      async function run(n: number): Promise<Float32Array[]> {
        return on(n, async () => {
          const xr = x.clone().requires_grad_(true), wr = w.clone().requires_grad_(true);
          const y = torch.nn.functional.conv2d(xr, wr, null, stride, padding, 1, groups);
          torch.manual_seed(3);
          y.backward(torch.randn(y.shape));
          return Promise.all([y, xr.grad!, wr.grad!].map((t) => t.data() as Promise<Float32Array>));
        });
      }
      const one = await run(1), two = await run(2);
      for (let i = 0; i < 3; i++) expect(Array.from(two[i]).every((v, j) => Object.is(v, one[i][j])), ['y', 'dx', 'dw'][i]).toBe(true);
    });
  }

  it('pooling forward and backward (planes cut into slices)', async () => {
    torch.manual_seed(4);
    const F = torch.nn.functional;
    const x = torch.randn([6, 16, 30, 30]);
    const pools: [string, (t: torch.Tensor) => torch.Tensor][] = [
      ['max_pool2d 2', (t) => F.max_pool2d(t, 2)],
      ['max_pool2d 3 stride 2 padding 1', (t) => F.max_pool2d(t, 3, 2, 1)],
      ['avg_pool2d 3 stride 2', (t) => F.avg_pool2d(t, 3, 2)],
      ['adaptive_avg_pool2d 7', (t) => F.adaptive_avg_pool2d(t, 7)],
      ['adaptive_max_pool2d 5', (t) => F.adaptive_max_pool2d(t, 5)],
    ];
    for (const [name, f] of pools) {
      const run = (n: number): Promise<Float32Array[]> => on(n, async () => {
        const xr = x.clone().requires_grad_(true);
        const y = f(xr);
        torch.manual_seed(5);
        y.backward(torch.randn(y.shape));
        return Promise.all([y, xr.grad!].map((t) => t.data() as Promise<Float32Array>));
      });
      const one = await run(1), two = await run(2);
      for (let i = 0; i < 2; i++) expect(Array.from(two[i]).every((v, j) => Object.is(v, one[i][j])), `${name} ${['y', 'dx'][i]}`).toBe(true);
    }
  });

  it('elementwise ops (slices of elements; scalar and one-element operands stay whole)', async () => {
    torch.manual_seed(6);
    const a = torch.randn([300, 1001]), b = torch.randn([300, 1001]), r = torch.randn([1001]), one = torch.tensor([3]);
    const d = torch.randn([100, 1003], { dtype: 'float64' });
    const ops: [string, () => torch.Tensor][] = [
      ['add', () => torch.add(a, b)],
      ['div by a broadcast row', () => torch.div(a, r)],
      ['mul by a number', () => a.mul(1.5)],
      ['one-element tensor - x', () => torch.sub(one, a)],
      ['clamp', () => torch.clamp(a, -0.5, 0.5)],
      ['sigmoid', () => a.sigmoid()],
      ['gt (bool output)', () => a.gt(b)],
      ['float64 exp', () => d.exp()],
    ];
    for (const [name, f] of ops) {
      const got1 = await on(1, () => f().data()), got2 = await on(2, () => f().data());
      expect(got2.length).toBe(got1.length);
      expect(Array.from(got2).every((v, j) => Object.is(v, got1[j])), name).toBe(true);
    }
  });

  it('log_softmax forward and backward (slices of the leading blocks), over the last dim and a middle one', async () => {
    torch.manual_seed(8);
    const x = torch.randn([64, 30, 70]);
    for (const dim of [-1, 1]) {
      const run = (n: number): Promise<Float32Array[]> => on(n, async () => {
        const xr = x.clone().requires_grad_(true);
        const y = torch.nn.functional.log_softmax(xr, dim);
        torch.manual_seed(9);
        y.backward(torch.randn(y.shape));
        return Promise.all([y, xr.grad!].map((t) => t.data() as Promise<Float32Array>));
      });
      const one = await run(1), two = await run(2);
      for (let i = 0; i < 2; i++) expect(Array.from(two[i]).every((v, j) => Object.is(v, one[i][j])), `dim ${dim} ${['y', 'dx'][i]}`).toBe(true);
    }
  });

  it('optimizer updates (slices of elements, contiguous and strided parameters)', async () => {
    const make = (): { params: torch.Tensor[]; grads: torch.Tensor[] } => {
      torch.manual_seed(7);
      const params = [torch.randn([300_000]), torch.randn([700, 300]).t().detach()].map((p) => p.requires_grad_(true));
      return { params, grads: params.map((p) => torch.randn(p.shape)) };
    };
    const optimizers: [string, (ps: torch.Tensor[]) => torch.optim.Optimizer][] = [
      ['SGD momentum nesterov', (ps) => new torch.optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 1e-4 })],
      ['Adam amsgrad', (ps) => new torch.optim.Adam(ps, { lr: 1e-2, amsgrad: true })],
    ];
    // unscoped: copied in chunks and updated by the calling thread; in torch.scope: moved into the
    // kernel heap and updated there, in slices
    for (const [name, mk] of optimizers) for (const scoped of [false, true]) {
      const run = (n: number): Promise<number[][]> => on(n, async () => {
        const { params, grads } = make();
        const opt = mk(params);
        for (let s = 0; s < 3; s++) {
          const step = (): void => {
            params.forEach((p, i) => { p.grad = grads[i].mul(s + 1); });
            opt.step();
          };
          if (scoped) torch.scope(step); else step();
        }
        const resident = kernelHeap()!.address(params[0]._storage.data) >= 0;
        expect(resident, `${name}: the parameter ${scoped ? 'moved' : 'did not move'} into the kernel heap`).toBe(scoped);
        return Promise.all(params.map(async (p) => Array.from(await p.data())));
      });
      const one = await run(1), two = await run(2);
      for (let i = 0; i < one.length; i++) expect(two[i].every((v, j) => Object.is(v, one[i][j])), `${name}, parameter ${i}`).toBe(true);
    }
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
      // results released as they go: their heap blocks are reused (an unreleased result may take
      // a new block while the program has released enough before: test/wasm_heap.test.ts)
      for (let i = 0; i < 5; i++) torch.matmul(a, b).dispose();
      const before = wasmMemoryBytes();
      for (let i = 0; i < 200; i++) torch.matmul(a, b).dispose();
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
