// Issue 15 "Nothing silent, nothing lost": errors instead of silent results, and habits PyTorch users bring.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import { len } from '../ts/utils/data/dataset.js';

describe('backward after a saved tensor was disposed', () => {
  const msg = (node: string) => new RegExp(`^${node}: a tensor saved for backward \\(shape \\[2, 3\\], float32\\) was disposed before backward`);
  it('names the node (saved input)', () => {
    const a = torch.randn([2, 3], { requires_grad: true });
    const b = torch.randn([2, 3]);
    const loss = torch.mul(a, b).sum();
    b.dispose();
    expect(() => loss.backward()).toThrow(msg('MulBackward0'));
  });
  it('names the node when the saved tensor is a view of the disposed one (matmul, linear)', () => {
    const a = torch.randn([2, 3], { requires_grad: true });
    const w = torch.randn([2, 3]);
    const loss = torch.matmul(a, w.t()).sum();
    w.dispose();
    expect(() => loss.backward()).toThrow(/Backward\d*: a tensor saved for backward \(shape \[3, 2\], float32\) was disposed/);
    const x = torch.randn([4, 3], { requires_grad: true });
    const lw = torch.randn([5, 3]);
    const l2 = torch.nn.functional.linear(x, lw).sum();
    lw.dispose();
    expect(() => l2.backward()).toThrow(/Backward\d*: a tensor saved for backward .* was disposed before backward/);
  });
  it('names the node for a disposed intermediate output (exp saves its result)', () => {
    const a = torch.randn([2, 3], { requires_grad: true });
    const h = torch.exp(a);
    const loss = h.sum();
    h.dispose();
    expect(() => loss.backward()).toThrow(msg('ExpBackward0'));
  });
  it('a custom Function reading ctx.saved_tensors', () => {
    class Sq extends torch.autograd.Function {
      static forward(ctx: any, x: any) { ctx.save_for_backward(x); return x.mul(x); }
      static backward(ctx: any, g: any) { const [x] = ctx.saved_tensors; return g.mul(x).mul(2); }
    }
    const a = torch.randn([2, 3], { requires_grad: true });
    const h = a.mul(1);
    const loss = Sq.apply(h).sum();
    h.dispose();
    expect(() => loss.backward()).toThrow(msg('SqBackward'));
  });
  it('still works when nothing was disposed', () => {
    const a = torch.randn([2, 3], { requires_grad: true });
    const w = torch.randn([2, 3]);
    torch.matmul(a, w.t()).sum().backward();
    expect(a.grad!.shape).toEqual([2, 3]);
  });
});

describe('negative indices raise PyTorch 1.13 errors (wasm)', () => {
  const x = torch.arange(12, { dtype: 'float32' }).reshape([3, 4]);
  const I = (v: number[] | number[][]) => torch.tensor(v as number[], { dtype: 'int32' });
  it('index_select: "index out of range in self" for -1 and for too large', () => {
    expect(() => torch.index_select(x, 0, I([-1]))).toThrow(/^index_select\(\): index -1 is out of bounds for dimension 0 with size 3 \(index out of range in self\)/);
    expect(() => x.index_select(1, I([0, 4]))).toThrow(/index out of range in self/);
    expect(torch.index_select(x, 0, I([2, 0])).tolistSync()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3]]);
  });
  it('gather: "index -1 is out of bounds for dimension d with size N"', () => {
    expect(() => torch.gather(x, 0, I([[-1, 0, 0, 0]]))).toThrow(/index -1 is out of bounds for dimension 0 with size 3/);
    expect(() => torch.gather(x, 1, I([[-1], [0], [0]]))).toThrow(/index -1 is out of bounds for dimension 1 with size 4/);
  });
  it('scatter and scatter_add reject -1', () => {
    expect(() => torch.zeros([3, 4]).scatter(0, I([[-1, 0, 0, 0]]), 1)).toThrow(/index -1 is out of bounds for dimension 0 with size 3/);
    expect(() => torch.zeros([3, 4]).scatter_add(0, I([[-1, 0, 0, 0]]), torch.ones([1, 4]))).toThrow(/index -1 is out of bounds for dimension 0 with size 3/);
  });
  it('embedding: "index out of range in self"', () => {
    expect(() => torch.nn.functional.embedding(I([-1]), x)).toThrow(/index out of range in self/);
    expect(() => torch.nn.functional.embedding(I([3]), x)).toThrow(/index out of range in self/);
  });
});

describe('datasets.MNIST accepts valid IDX files of any count', () => {
  const idx = (dims: number[], data: ArrayLike<number>): Uint8Array => {
    const b = new Uint8Array(4 + 4 * dims.length + data.length);
    const dv = new DataView(b.buffer);
    b[2] = 0x08; b[3] = dims.length;
    dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
    b.set(data, 4 + 4 * dims.length);
    return b;
  };
  const images = (n: number) => idx([n, 28, 28], Uint8Array.from({ length: n * 784 }, (_, i) => i % 251));
  const labels = (n: number) => idx([n], Uint8Array.from({ length: n }, (_, i) => i % 10));
  const write = async (files: Record<string, Uint8Array>) => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const root = mkdtempSync(join(tmpdir(), 'webtorch-issue15-'));
    for (const [f, b] of Object.entries(files)) writeFileSync(join(root, f), b);
    return root;
  };
  it('gzipped train files with 5 images, raw test files with 3; ds[i] and len(ds) work', async () => {
    const { gzipSync } = await import('node:zlib');
    const root = await write({
      'train-images-idx3-ubyte.gz': gzipSync(images(5)), 'train-labels-idx1-ubyte.gz': gzipSync(labels(5)),
      't10k-images-idx3-ubyte': images(3), 't10k-labels-idx1-ubyte': labels(3),
    });
    const train = await new torch.datasets.MNIST(root, { train: true });
    expect(train.length).toBe(5);
    expect(train.data.shape).toEqual([5, 28, 28]);
    expect(train.targets.tolistSync()).toEqual([0, 1, 2, 3, 4]);
    const [img, y] = train.getitem(4);
    expect([img.shape, y]).toEqual([[28, 28], 4]);
    const test = await new torch.datasets.MNIST(root, { train: false });
    expect(test.length).toBe(3);
    expect(test.getitem(-1)[1]).toBe(2);
    expect(test[-1][1]).toBe(2);
    expect(test[0][0].shape).toEqual([28, 28]);
    expect(len(test)).toBe(3);
    expect(() => test[3]).toThrow(/index 3 is out of range for MNIST of length 3/);
  });
  it('still rejects truncated, corrupt and mismatched files', async () => {
    const { gzipSync } = await import('node:zlib');
    const trunc = images(4).subarray(0, 4 * 784);
    let root = await write({ 't10k-images-idx3-ubyte': trunc, 't10k-labels-idx1-ubyte': labels(4) });
    await expect(new torch.datasets.MNIST(root, { train: false }).ready()).rejects.toThrow(/\/t10k-images-idx3-ubyte: truncated: sizes \[4,28,28\] need 3136 data bytes/);
    root = await write({ 't10k-images-idx3-ubyte.gz': gzipSync(images(4)).subarray(0, 50), 't10k-labels-idx1-ubyte': labels(4) });
    await expect(new torch.datasets.MNIST(root, { train: false }).ready()).rejects.toThrow(/truncated or corrupt/);
    root = await write({ 't10k-images-idx3-ubyte': images(4), 't10k-labels-idx1-ubyte': labels(3) });
    await expect(new torch.datasets.MNIST(root, { train: false }).ready()).rejects.toThrow(/t10k-images-idx3-ubyte holds 4 images but \/tmp\/.*\/t10k-labels-idx1-ubyte holds 3 labels/);
    root = await write({ 't10k-images-idx3-ubyte': new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]), 't10k-labels-idx1-ubyte': labels(3) });
    await expect(new torch.datasets.MNIST(root, { train: false }).ready()).rejects.toThrow(/bad magic number 0x01020304/);
  });
});

describe('ds[i], ds.length and len(ds) on every dataset', () => {
  const { Dataset, TensorDataset, Subset, ConcatDataset, DataLoader } = torch.utils.data;
  it('TensorDataset: ds[i] as getitem(i), negative indices as in Python, length and len', () => {
    const x = torch.arange(10, { dtype: 'float32' }).reshape([5, 2]);
    const y = torch.arange(5, { dtype: 'int32' });
    const ds = new TensorDataset(x, y);
    expect(ds[1].map((t) => t.tolistSync())).toEqual([[2, 3], 1]);
    expect(ds[-1].map((t) => t.tolistSync())).toEqual([[8, 9], 4]);
    expect(() => ds[5]).toThrow(/index 5 is out of range for a dataset of length 5/);
    expect(() => ds[-6]).toThrow(/index -6 is out of range/);
    expect([ds.length, ds.__len__(), len(ds)]).toEqual([5, 5, 5]);
    expect(ds).toBeInstanceOf(TensorDataset);
    expect(ds).toBeInstanceOf(Dataset);
    expect(ds.tensors.length).toBe(2);
    // non-index keys and methods are untouched
    expect((ds as any)['1.5']).toBeUndefined();
    expect((ds as any).foo).toBeUndefined();
  });
  it('Subset and ConcatDataset', () => {
    const ds = new TensorDataset(torch.arange(6, { dtype: 'int32' }));
    const sub = new Subset(ds, [4, 2, 0]);
    expect([sub[0][0].itemSync(), sub[-1][0].itemSync(), len(sub)]).toEqual([4, 0, 3]);
    const cat = new ConcatDataset([sub, ds]);
    expect([cat[2][0].itemSync(), cat[3][0].itemSync(), cat[-1][0].itemSync(), cat.length]).toEqual([0, 0, 5, 9]);
    expect(ds.concat(sub)[7]![0].itemSync()).toBe(2);
  });
  it('a subclass with #private fields and getters, also through a DataLoader', async () => {
    class Squares extends Dataset<number> {
      #n: number;
      #calls = 0;
      constructor(n: number) { super(); this.#n = n; }
      get length(): number { return this.#n; }
      getitem(i: number): number {
        this.#calls++;
        if (i < 0) i += this.#n;
        if (i < 0 || i >= this.#n) throw new RangeError(`index out of range: ${i}`);
        return i * i;
      }
      get calls(): number { return this.#calls; }
    }
    const sq = new Squares(4);
    expect([sq[0], sq[3], sq[-1], sq.length, len(sq)]).toEqual([0, 9, 9, 4, 4]);
    expect(sq.calls).toBe(3);
    const batches: number[][] = [];
    for await (const b of new DataLoader(sq, { batch_size: 2 })) batches.push((b as torch.Tensor).tolistSync() as number[]);
    expect(batches).toEqual([[0, 1], [4, 9]]);
  });
});

describe('torch.cuda and torch.backends as in a CPU build of PyTorch', () => {
  it('is_available false, device_count 0, seeding accepted', () => {
    const use_cuda = torch.cuda.is_available();
    expect(use_cuda).toBe(false);
    expect(torch.cuda.device_count()).toBe(0);
    expect(torch.cuda.is_initialized()).toBe(false);
    expect(torch.cuda.manual_seed(1)).toBeUndefined();
    expect(torch.cuda.manual_seed_all(42)).toBeUndefined();
    expect(() => torch.cuda.manual_seed('x' as unknown as number)).toThrow(/seed must be an integer/);
    expect(() => torch.cuda.current_device()).toThrow(/Torch not compiled with CUDA enabled/);
    torch.cuda.empty_cache();
    expect(torch.backends.mps.is_available()).toBe(false);
    expect(torch.backends.mps.is_built()).toBe(false);
    torch.backends.cudnn.deterministic = true;
    // the MNIST script's device pick
    const device = torch.device(use_cuda ? 'cuda' : 'cpu');
    expect(String(device)).toBe('cpu');
  });
});

describe('the browser example server (npm run browser-example)', () => {
  it('parses the port (last wins, --port N, --port=N) and rejects junk', async () => {
    const { parsePort } = await import('./runtime/server.mjs');
    expect(parsePort([])).toBe(8000);
    expect(parsePort(['8000', '8080'])).toBe(8080);
    expect(parsePort(['8000', '--port', '9001'])).toBe(9001);
    expect(parsePort(['8000', '--port=9002'])).toBe(9002);
    expect(() => parsePort(['8000', '--port'])).toThrow(/not a port number: \(missing\)/);
    expect(() => parsePort(['abc'])).toThrow(/not a port number: abc/);
  });
  it('/ leads to the demo', async () => {
    const { serve } = await import('./runtime/server.mjs');
    const s = await serve();
    try {
      const r = await fetch(s.url + '/', { redirect: 'manual' });
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/examples/browser/');
      const page = await fetch(s.url + '/');
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
    } finally { await s.close(); }
  });
  it('a busy port gives a clear message, not an EADDRINUSE stack', async () => {
    const { serve } = await import('./runtime/server.mjs');
    const { spawnSync } = await import('node:child_process');
    const s = await serve();
    try {
      const port = new URL(s.url).port;
      const r = spawnSync(process.execPath, ['test/runtime/server.mjs', '8000', port], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`port ${port} is already in use: pass another one, e.g. \`npm run browser-example -- 80(80|81)\``));
      expect(r.stderr).not.toMatch(/EADDRINUSE|at Server/);
    } finally { await s.close(); }
  });
});

// Findings of the generated bad-input test (test/bad_input.test.ts), each pinned here as well
describe('bad-input findings stay fixed', () => {
  it('a bool tensor holds 0 or 1 after fill_, full_like and masked_fill', () => {
    expect(torch.zeros([2], { dtype: 'bool' }).fill_(2).tolistSync()).toEqual([true, true]);
    expect(torch.full_like(torch.zeros([2], { dtype: 'bool' }), 7).dataSync()[0]).toBe(1);
    expect(torch.zeros([2], { dtype: 'bool' }).masked_fill(torch.tensor([true, false]), 7).dataSync()[0]).toBe(1);
  });
  it('as_strided refuses a view past its storage instead of reading foreign memory', () => {
    expect(() => torch.zeros([0, 3]).as_strided([3, 2], [1, 3])).toThrow(/setStorage: sizes \[3, 2\], strides \[1, 3\], storage offset 0, and itemsize 4 requiring a storage size of 24 are out of bounds for storage of size 0/);
    expect(torch.arange(6, { dtype: 'float32' }).as_strided([3, 2], [1, 3]).tolistSync()).toEqual([[0, 3], [1, 4], [2, 5]]);
  });
  it('recurrent cells take an empty batch (the wasm copy of an empty view at the storage end)', () => {
    const [h, c] = new torch.nn.LSTMCell(3, 4).call(torch.zeros([0, 3]));
    expect([h.shape, c.shape]).toEqual([[0, 4], [0, 4]]);
  });
  it('batch norm takes an empty batch, leaving the running statistics as they are', async () => {
    const m = new torch.nn.BatchNorm1d(3);
    expect(m.call(torch.zeros([0, 3])).shape).toEqual([0, 3]);
    expect(m.running_mean!.tolistSync()).toEqual([0, 0, 0]);
    expect(m.running_var!.tolistSync()).toEqual([1, 1, 1]);
    expect(m.num_batches_tracked!.itemSync()).toBe(1);
  });
  it('float-only kernels refuse int and bool as PyTorch does', () => {
    const i = torch.tensor([[1, 2]], { dtype: 'int32' });
    expect(() => torch.softmax(i, 1)).toThrow(/softmax: "softmax_lastdim_kernel_impl" not implemented for 'Int'/);
    expect(() => torch.nn.functional.gelu(i)).toThrow(/"GeluKernelImpl" not implemented for 'Int'/);
    expect(() => torch.abs(torch.tensor([true]))).toThrow(/abs/);
    expect(torch.sign(torch.tensor([true, false])).tolistSync()).toEqual([true, false]);
  });
  it("lerp follows PyTorch's formula (inf stays inf at weight 0.5) and refuses mixed dtypes", () => {
    const a = torch.tensor([Infinity, 1]), b = torch.tensor([0, 3], { dtype: 'float32' });
    expect(a.lerp(b, 0.5).tolistSync()).toEqual([Infinity, 2]);
    expect(() => a.lerp(b.double(), 0.5)).toThrow(/lerp: expected dtype float for `end` but got dtype double/);
  });
  it('conv and pools refuse empty kernels, zero strides and negative output sizes', () => {
    expect(() => torch.nn.functional.conv2d(torch.zeros([1, 2, 4, 4]), torch.zeros([3, 2, 0, 0]))).toThrow(/kernel size should be greater than zero/);
    expect(() => torch.nn.functional.avg_pool2d(torch.zeros([1, 1, 4, 4]), 2, 0)).toThrow(/stride should not be zero/);
    expect(() => torch.nn.functional.adaptive_avg_pool2d(torch.zeros([1, 1, 4, 4]), -1)).toThrow(/elements of output_size must be greater than or equal to 0/);
  });
  it('composite ops name themselves in the errors of the ops they are built from', () => {
    expect(() => torch.nn.functional.mse_loss(torch.zeros([2, 3]), torch.zeros([2, 4]))).toThrow(/^mse_loss: /);
    expect(() => torch.addmm(torch.zeros([2, 4]), torch.zeros([2, 3]), torch.zeros([3, 4], { dtype: 'float64' }))).toThrow(/^addmm: /);
    expect(() => torch.zeros([2, 3], { dtype: 'bool' }).clamp_min_(0)).toThrow(/^clamp_min_: /);
  });
});
