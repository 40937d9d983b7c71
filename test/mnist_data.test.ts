// MNIST/FashionMNIST loading, IDX parsing and transforms. The real data is read from MNIST_DIR
// (default ../shared/data/mnist from the repo root); tests that need it skip when it is absent.
// The network is never used: downloads go to a stubbed fetch.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as torch from '../ts/index.js';
import { idx } from './helpers/idx.js';

const { MNIST, FashionMNIST, parseIdx } = torch.datasets;
const T = torch.transforms;
const ROOT = resolve(new URL('..', import.meta.url).pathname);
const MNIST_DIR = resolve(ROOT, process.env.MNIST_DIR ?? '../shared/data/mnist');
const HAVE = existsSync(join(MNIST_DIR, 't10k-images-idx3-ubyte.gz'));

const tmp = () => mkdtempSync(join(tmpdir(), 'webtorch-mnist-'));

describe('IDX parser', () => {
  it('parses and validates', () => {
    const a = parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]), 'x', 2);
    expect(a.dims).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => parseIdx(new Uint8Array([0, 0]), 'f')).toThrow(/f: truncated \(2 bytes/);
    expect(() => parseIdx(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'f')).toThrow(/bad magic number 0x01020304/);
    expect(() => parseIdx(idx([2], [1, 2]), 'f', 3)).toThrow(/expected 0x00000803/);
    expect(() => parseIdx(idx([2], [1, 2], 0x0d), 'f')).toThrow(/float elements/);
    expect(() => parseIdx(idx([2, 3], [1, 2, 3]), 'f')).toThrow(/f: truncated: sizes \[2,3\] need 6 data bytes, the file holds 3/);
    expect(() => parseIdx(idx([1], [1, 2]), 'f')).toThrow(/trailing bytes/);
    expect(() => parseIdx(idx([5, 5, 5], []).subarray(0, 10), 'f')).toThrow(/truncated in the header/);
    expect(() => parseIdx(idx([65536, 65536, 65536], []), 'f')).toThrow(/truncated/);
  });
});

describe('transforms', () => {
  it('ToTensor, Normalize, Compose, Lambda', () => {
    const img = torch.tensor(new Uint8Array([0, 51, 255, 128, 1, 2])).reshape(2, 3);
    const t = T.ToTensor()(img);
    expect(t.shape).toEqual([1, 2, 3]);
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.dataSync())).toEqual(Array.from(new Float32Array([0, 51, 255, 128, 1, 2].map((v) => Math.fround(v) / 255))));
    const rgb = T.ToTensor()(torch.tensor(new Uint8Array([255, 0, 0, 0, 255, 0])).reshape(1, 2, 3));
    expect(rgb.shape).toEqual([3, 1, 2]);
    expect(rgb.tolistSync()).toEqual([[[1, 0]], [[0, 1]], [[0, 0]]]);
    const n = T.Normalize([0.1307], [0.3081])(t);
    const want = t.sub(0.1307).div(0.3081);
    expect(Array.from(n.dataSync())).toEqual(Array.from(want.dataSync()));
    const n3 = T.Normalize([0.5, 0, 1], [0.5, 1, 2])(rgb);
    expect(n3.tolistSync()).toEqual([[[1, -1]], [[0, 1]], [[-0.5, -0.5]]]);
    const c = T.Compose([T.ToTensor(), T.Normalize([0.5], [0.5]), T.Lambda((x: torch.Tensor) => x.mul(2))]);
    expect(c(torch.tensor(new Uint8Array([0, 255])).reshape(1, 2)).tolistSync()).toEqual([[[-2, 2]]]);
    expect(String(c)).toContain('Normalize(mean=[0.5], std=[0.5])');
    // `new` works too, as Python-style calls do
    expect((new (T.ToTensor as never as new () => (x: torch.Tensor) => torch.Tensor)())(img).shape).toEqual([1, 2, 3]);
    expect(() => T.Normalize([0.5], [0.5])(img)).toThrow(/float tensor/);
  });
  it('RandomCrop and RandomRotation', () => {
    const x = torch.arange(16, { dtype: 'float32' }).reshape(1, 4, 4);
    const g = new torch.Generator().manual_seed(0);
    const c = T.RandomCrop(2, { generator: g })(x);
    expect(c.shape).toEqual([1, 2, 2]);
    const v = c.tolistSync() as number[][][];
    expect(v[0][1][0] - v[0][0][0]).toBe(4);
    const p = T.RandomCrop(4, { padding: 2 })(x);
    expect(p.shape).toEqual([1, 4, 4]);
    expect(T.RandomCrop([6, 4], { pad_if_needed: true })(x).shape).toEqual([1, 6, 4]);
    expect(() => T.RandomCrop(5)(x)).toThrow(/larger than input image size/);
    const r90 = T.RandomRotation([90, 90])(torch.tensor([[1, 2], [3, 4]], { dtype: 'float32' }).reshape(1, 2, 2));
    expect(r90.tolistSync()).toEqual([[[2, 4], [1, 3]]]); // counter-clockwise, as torchvision
    expect(T.RandomRotation(0)(x).tolistSync()).toEqual(x.tolistSync());
  });
});

describe.skipIf(!HAVE)('MNIST from MNIST_DIR', () => {
  it('loads the test split with transforms and a DataLoader', async () => {
    const transform = T.Compose([T.ToTensor(), T.Normalize([0.1307], [0.3081])]);
    const ds = await new MNIST(MNIST_DIR, { train: false, transform });
    expect(ds.length).toBe(10000);
    expect(ds.data.shape).toEqual([10000, 28, 28]);
    expect(ds.data.dtype).toBe('uint8');
    expect(ds.targets.dtype).toBe('int32');
    expect(ds.targets.narrow(0, 0, 10).tolistSync()).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const [img, label] = ds.getitem(0);
    expect(img.shape).toEqual([1, 28, 28]);
    expect(label).toBe(7);
    const mean = ds.data.to('float32').div(255).mean().itemSync() as number;
    expect(mean).toBeCloseTo(0.1325, 3);
    const loader = new torch.utils.data.DataLoader(ds, { batch_size: 1000 });
    expect(loader.length).toBe(10);
    let n = 0, sum = 0;
    for (const [data, target] of loader) {
      expect(data.shape).toEqual([target.shape[0], 1, 28, 28]);
      expect(target.dtype).toBe('int32');
      n += target.shape[0];
      sum += data.sum().itemSync() as number;
    }
    expect(n).toBe(10000);
    expect(sum / (n * 784)).toBeCloseTo((0.1325 - 0.1307) / 0.3081, 2);
    expect(String(ds)).toContain('Number of datapoints: 10000');
  });

  it('loads the train split (labels, counts) and reads the torchvision layout', async () => {
    const root = tmp();
    mkdirSync(join(root, 'MNIST', 'raw'), { recursive: true });
    for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']) copyFileSync(join(MNIST_DIR, f), join(root, 'MNIST', 'raw', f));
    const ds = new MNIST(root, { train: true });
    expect(() => ds.length).toThrow(/still loading/);
    await ds.ready();
    expect(ds.length).toBe(60000);
    expect(ds.targets.narrow(0, 0, 5).tolistSync()).toEqual([5, 0, 4, 1, 9]);
    const counts = torch.one_hot(ds.targets, 10).sum(0).tolistSync();
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    const [img, label] = ds.getitem(1);
    expect(img.dtype).toBe('uint8');
    expect(img.shape).toEqual([28, 28]);
    expect(label).toBe(0);
  });

  it('a full shuffled epoch of batches is fast and deterministic', async () => {
    const ds = await new MNIST(MNIST_DIR, { train: false, transform: T.Compose([T.ToTensor(), T.Normalize([0.1307], [0.3081])]) });
    const firstTargets = async (seed: number) => {
      torch.manual_seed(seed);
      const out: number[][] = [];
      for await (const [, t] of new torch.utils.data.DataLoader(ds, { batch_size: 64, shuffle: true })) if (out.length < 3) out.push(t.tolistSync() as number[]);
      return out;
    };
    const t0 = performance.now();
    const a = await firstTargets(1);
    const ms = performance.now() - t0;
    expect(await firstTargets(1)).toEqual(a);
    expect(await firstTargets(2)).not.toEqual(a);
    console.log(`one epoch of the 10000 test images in batches of 64: ${ms.toFixed(0)} ms`);
  });

  it('rejects truncated, corrupt and mismatched files with clear errors', async () => {
    const root = tmp();
    copyFileSync(join(MNIST_DIR, 't10k-images-idx3-ubyte.gz'), join(root, 't10k-images-idx3-ubyte.gz'));
    const labels = readFileSync(join(MNIST_DIR, 't10k-labels-idx1-ubyte.gz'));
    writeFileSync(join(root, 't10k-labels-idx1-ubyte.gz'), labels.subarray(0, labels.length - 100));
    await expect(new MNIST(root, { train: false }).ready()).rejects.toThrow(/t10k-labels-idx1-ubyte.gz: the gzip data is truncated or corrupt/);
    const ds = new MNIST(root, { train: false });
    await ds.ready().catch(() => {});
    expect(() => ds.getitem(0)).toThrow(/truncated or corrupt/);
    writeFileSync(join(root, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([9999], new Uint8Array(9999))));
    await expect(new MNIST(root, { train: false }).ready()).rejects.toThrow(/t10k-images-idx3-ubyte.gz holds 10000 images but \S*t10k-labels-idx1-ubyte.gz holds 9999 labels/);
    writeFileSync(join(root, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([10000, 1], new Uint8Array(10000))));
    await expect(new MNIST(root, { train: false }).ready()).rejects.toThrow(/bad magic number 0x00000802: expected 0x00000801/);
    const bad = new Uint8Array(10000); bad[17] = 10;
    writeFileSync(join(root, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([10000], bad)));
    await expect(new MNIST(root, { train: false }).ready()).rejects.toThrow(/label 10 at index 17/);
    // uncompressed files are read too
    const root2 = tmp();
    copyFileSync(join(MNIST_DIR, 't10k-images-idx3-ubyte.gz'), join(root2, 't10k-images-idx3-ubyte.gz'));
    writeFileSync(join(root2, 't10k-labels-idx1-ubyte'), idx([10000], new Uint8Array(10000).fill(3)));
    expect((await new MNIST(root2, { train: false })).targets.narrow(0, 0, 2).tolistSync()).toEqual([3, 3]);
  });
});

describe('MNIST download (stubbed fetch, no network)', () => {
  afterEach(() => { vi.unstubAllGlobals(); });
  it.skipIf(!HAVE)('an http(s) root is fetched (browsers and workers read the files this way)', async () => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      const f = join(MNIST_DIR, url.split('/').pop()!);
      return existsSync(f) ? new Response(readFileSync(f)) : new Response('not found', { status: 404, statusText: 'Not Found' });
    });
    const ds = await new MNIST('https://example.test/mnist/', { train: false });
    expect(ds.length).toBe(10000);
    expect(urls.sort()).toEqual(['https://example.test/mnist/t10k-images-idx3-ubyte.gz', 'https://example.test/mnist/t10k-labels-idx1-ubyte.gz']);
    vi.stubGlobal('fetch', async () => new Response('not found', { status: 404, statusText: 'Not Found' }));
    await expect(new MNIST('https://example.test/x', { train: false }).ready()).rejects.toThrow(/could not fetch t10k-.*HTTP 404/s);
  });
  it('a missing dataset says how to get it', async () => {
    await expect(new FashionMNIST(tmp(), { train: false }).ready()).rejects.toThrow(/dataset not found: no t10k-images-idx3-ubyte.gz in .*FashionMNIST\/raw.*download: true/);
  });
  it.skipIf(!HAVE)('downloads into root/MNIST/raw with an MD5 check, trying mirrors in order', async () => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      if (url.startsWith(MNIST.mirrors[0])) return new Response('nope', { status: 503, statusText: 'Service Unavailable' });
      return new Response(readFileSync(join(MNIST_DIR, url.split('/').pop()!)));
    });
    const root = tmp();
    const ds = await new MNIST(root, { train: false, download: true });
    expect(ds.length).toBe(10000);
    expect(urls.length).toBe(4);
    expect(existsSync(join(root, 'MNIST', 'raw', 't10k-labels-idx1-ubyte.gz'))).toBe(true);
    // a corrupted download fails the MD5 check on every mirror
    vi.stubGlobal('fetch', async () => new Response(new Uint8Array([1, 2, 3])));
    await expect(new MNIST(tmp(), { train: false, download: true }).ready()).rejects.toThrow(/could not download t10k-.*MD5 5289df737df57326fcdd22597afb1fac does not match/s);
  });
});
