// torch.load of PyTorch checkpoints (test/fixtures/pt/, written by PyTorch 1.13 through
// test/fixtures/gen_pt_fixtures.py) and torch.save(obj, path, { format: 'pt' }), read back by
// webtorch and (where /usr/bin/python3 has torch) by PyTorch with weights_only=True.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { inflateRaw as inflateWith } from '../ts/platform/inflate.js';
import { fail } from '../ts/pt/errors.js';

const inflateRaw = (z: Uint8Array, size: number, name: string): Uint8Array => inflateWith(z, size, (msg) => fail(`zip entry '${name}': ${msg}`));

const { nn } = torch;
const F = nn.functional;
const DIR = new URL('./fixtures/pt/', import.meta.url).pathname;
const EXPECTED = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));
const PY = process.env.WEBTORCH_PYTHON ?? '/usr/bin/python3';
const CHECK = new URL('./python/pt_check.py', import.meta.url).pathname;
function hasTorch(): boolean {
  try { execFileSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }); return true; } catch { return false; }
}
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (name: string): any => torch.load(bytesOf(name));

class Net extends nn.Module {
  conv = new nn.Conv2d(1, 3, 3);
  bn = new nn.BatchNorm2d(3);
  fc = new nn.Linear(3 * 4 * 4, 5);
  forward(x: Tensor): Tensor { return this.fc.call(F.relu(this.bn.call(this.conv.call(x))).flatten(1)); }
}

const num = (v: unknown): number => {
  if (v && typeof v === 'object' && '__float__' in v) return Number((v as { __float__: string }).__float__.replace('inf', 'Infinity'));
  return typeof v === 'boolean' ? Number(v) : (v as number);
};

/** Checks a loaded value against the generator's JSON encoding of what PyTorch saved. */
function expectMatches(actual: unknown, exp: unknown, path = '<root>'): void {
  if (Array.isArray(exp)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(exp.length);
    exp.forEach((e, i) => expectMatches((actual as unknown[])[i], e, `${path}.${i}`));
    return;
  }
  if (!exp || typeof exp !== 'object') { expect(actual, path).toBe(exp); return; }
  const o = exp as Record<string, unknown>;
  if ('__tensor__' in o) {
    const e = o.__tensor__ as { dtype: string; shape: number[]; values: unknown[]; requires_grad: boolean; parameter: boolean };
    expect(actual, path).toBeInstanceOf(torch.Tensor);
    const t = actual as Tensor;
    expect(t.dtype, `${path} dtype`).toBe(e.dtype);
    expect(t.shape, `${path} shape`).toEqual(e.shape);
    expect(Array.from(t.contiguous().dataSync() as ArrayLike<number>), `${path} values`).toEqual(e.values.map(num));
    expect(t.requires_grad, `${path} requires_grad`).toBe(e.requires_grad);
    expect(t instanceof nn.Parameter, `${path} is a Parameter`).toBe(e.parameter);
    return;
  }
  if ('__float__' in o) { expect(actual, path).toBe(num(o)); return; }
  if ('__bigint__' in o) { expect(actual, path).toBe(BigInt(o.__bigint__ as string)); return; }
  if ('__bytes__' in o) { expect(actual, path).toEqual(new Uint8Array(o.__bytes__ as number[])); return; }
  if ('__set__' in o) { expect(actual, path).toBeInstanceOf(Set); expect([...(actual as Set<unknown>)].sort(), path).toEqual((o.__set__ as unknown[]).slice().sort()); return; }
  if ('__map__' in o) {
    expect(actual, path).toBeInstanceOf(Map);
    const entries = [...(actual as Map<unknown, unknown>).entries()];
    const want = o.__map__ as [unknown, unknown][];
    expect(entries.length, `${path} size`).toBe(want.length);
    want.forEach(([k, v], i) => { expectMatches(entries[i][0], k, `${path}<key ${i}>`); expectMatches(entries[i][1], v, `${path}[${i}]`); });
    return;
  }
  expect(actual && typeof actual === 'object' && !Array.isArray(actual), `${path} is an object`).toBe(true);
  expect(Object.keys(actual as object).sort(), `${path} keys`).toEqual(Object.keys(o).sort());
  for (const k of Object.keys(o)) expectMatches((actual as Record<string, unknown>)[k], o[k], `${path}.${k}`);
}

/** Whether writing through `a` is seen through `b` (public API only; doubling and halving are exact). */
const sharesStorage = (a: Tensor, b: Tensor): boolean => {
  const before = JSON.stringify(b.tolistSync());
  torch.no_grad(() => a.mul_(2));
  const changed = JSON.stringify(b.tolistSync()) !== before;
  torch.no_grad(() => a.mul_(0.5));
  return changed;
};

describe('torch.load of PyTorch 1.13 checkpoints', () => {
  const files = ['model_sd.pt', 'sgd_momentum.pt', 'adam.pt', 'checkpoint.pt', 'views.pt', 'dtypes.pt', 'legacy.pt', 'params.pt', 'misc.pt', 'proto4.pt', 'proto5.pt', 'deflate.pt', 'bigendian.pt'];
  for (const f of files) {
    it(`${f} has the values, dtypes and shapes PyTorch saved`, () => {
      expectMatches(load(f), EXPECTED[f], f);
    });
  }

  it('(a) load_state_dict of a PyTorch state_dict gives PyTorch\'s outputs', () => {
    const sd = load('model_sd.pt');
    expect(sd['bn.num_batches_tracked'].dtype).toBe('int32');
    expect(sd['bn.num_batches_tracked'].itemSync()).toBe(2);
    const net = new Net();
    net.load_state_dict(sd);
    net.eval();
    const { input, input_shape, output } = EXPECTED.net;
    const out = torch.no_grad(() => net.call(torch.tensor(input, { dtype: 'float32' }).reshape(input_shape)));
    const got = Array.from(out.dataSync() as Float32Array);
    got.forEach((v, i) => expect(Math.abs(v - output[i])).toBeLessThan(1e-5));
  });

  for (const [file, make] of [
    ['sgd_momentum.pt', (p: Tensor[]) => new torch.optim.SGD(p, { lr: 0.1, momentum: 0.9 })],
    ['adam.pt', (p: Tensor[]) => new torch.optim.Adam(p, { lr: 0.01 })],
  ] as const) {
    it(`(b) ${file}: webtorch continues PyTorch's training run step for step`, () => {
      const net = new Net();
      net.load_state_dict(load(file.replace('.pt', '_model.pt')));
      net.train();
      const opt = make(net.parameters());
      opt.load_state_dict(load(file));
      const c = EXPECTED.continue;
      const x = torch.tensor(c.x, { dtype: 'float32' }).reshape(c.x_shape), y = torch.tensor(c.y, { dtype: 'float32' }).reshape(c.y_shape);
      opt.zero_grad();
      F.mse_loss(net.call(x), y).backward();
      opt.step();
      const sd = net.state_dict();
      for (const [k, want] of Object.entries(c[file] as Record<string, number[]>)) {
        // conv.bias feeds a BatchNorm, so its gradient is rounding noise (~1e-9), which Adam's
        // m / sqrt(v) scales up to full steps: its value is not reproducible across implementations
        if (file === 'adam.pt' && k === 'conv.bias') continue;
        const got = Array.from(sd[k].dataSync() as Float32Array);
        got.forEach((v, i) => expect(Math.abs(v - want[i]), `${k}[${i}]`).toBeLessThan(1e-5));
      }
    });
  }

  it('(c) a { model, optimizer, epoch, loss } checkpoint keeps its structure and int keys', () => {
    const ck = load('checkpoint.pt');
    expect(ck.epoch).toBe(3);
    expect(ck.loss).toBe(0.25);
    expect(Object.keys(ck.optimizer.state)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(ck.optimizer.param_groups[0].params).toEqual([0, 1, 2, 3, 4, 5]);
  });

  for (const f of ['views.pt', 'legacy.pt']) {
    it(`(d) ${f}: tensors viewing one storage share it in webtorch`, () => {
      const raw = load(f);
      const v = f === 'legacy.pt' ? raw.views : raw;
      expect(v.xt.stride()).toEqual([1, 4]);
      expect(v.row.storage_offset()).toBe(4);
      expect(v.col.stride()).toEqual([4]);
      expect(v.col.storage_offset()).toBe(2);
      expect(v.sub.stride()).toEqual([4, 1]);
      expect(v.sub.storage_offset()).toBe(5);
      expect(v.expanded.stride()).toEqual([0, 1]);
      for (const k of ['xt', 'row', 'col', 'sub', 'expanded']) expect(sharesStorage(v.x, v[k]), k).toBe(true);
      torch.no_grad(() => v.x.index(1, 2).fill_(-1));
      expect(v.xt.index(2, 1).itemSync()).toBe(-1);
      expect(v.row.index(2).itemSync()).toBe(-1);
      expect(v.col.index(1).itemSync()).toBe(-1);
      expect(v.sub.index(0, 1).itemSync()).toBe(-1);
      if (f === 'legacy.pt') {
        // separate storages stay separate
        expect(sharesStorage(raw.model['conv.weight'], raw.model['conv.bias'])).toBe(false);
      }
    });
  }

  it('(e) int64 values that do not fit in int32 are an error naming the tensor', () => {
    expect(() => load('int64_big.pt')).toThrow(/^torch\.load: tensor 'big' holds the int64 value 1099511627776 \(element 1\), which does not fit in int32/);
  });

  it('loads from a path (asynchronously) and from an ArrayBuffer', async () => {
    expectMatches(await torch.load(join(DIR, 'model_sd.pt')), EXPECTED['model_sd.pt']);
    const b = bytesOf('views.pt');
    expectMatches(torch.load(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)), EXPECTED['views.pt']);
  });

  it('safetensors files still load as before', () => {
    const sd = { w: torch.arange(6, { dtype: 'float32' }).reshape(2, 3) };
    const back = torch.load(torch.save(sd));
    expect(back.w.tolistSync()).toEqual([[0, 1, 2], [3, 4, 5]]);
  });
});

describe('inflate (deflate zip entries, read synchronously)', () => {
  it('matches zlib on stored, fixed and dynamic blocks at every level', () => {
    let s = 7;
    const rand = () => { s = (s * 1103515245 + 12345) >>> 0; return s >>> 16; };
    const inputs = [
      new Uint8Array(0),
      new Uint8Array(70000).map(() => rand() & 0xff),                 // incompressible: stored blocks
      new Uint8Array(100000).map((_, i) => (i % 97) ^ (rand() & 3)),  // long matches
      new Uint8Array(new Float32Array(5000).map((_, i) => Math.sin(i)).buffer),
      new TextEncoder().encode('abc'.repeat(1000)),
    ];
    for (const data of inputs) {
      for (const level of [0, 1, 6, 9]) {
        const z = new Uint8Array(deflateRawSync(data, { level }));
        expect(inflateRaw(z, data.length, 'x')).toEqual(data);
      }
      const z = new Uint8Array(deflateRawSync(data, { level: 6 }));
      expect(() => inflateRaw(z, data.length + 1, 'x')).toThrow(/^torch\.load: /);
      if (data.length) expect(() => inflateRaw(z, data.length - 1, 'x')).toThrow(/^torch\.load: /);
    }
  });
});

describe("torch.save(obj, { format: 'pt' })", () => {
  it('round-trips through webtorch: values, dtypes, views, parameters, nested containers', () => {
    const x = torch.arange(12, { dtype: 'float32' }).reshape(3, 4);
    const obj = {
      model: { w: x, wt: x.t(), row: x.index(1), bias: torch.tensor([1, 2], { dtype: 'float64' }) },
      p: new nn.Parameter(torch.ones(2)),
      flags: torch.tensor([true, false]),
      bytes: torch.tensor(new Uint8Array([0, 200])),
      ints: torch.tensor([-5, 2 ** 31 - 1]),
      optimizer: { state: { 0: { step: 3 }, 1: { step: 4 } }, param_groups: [{ params: [0, 1], lr: 0.01, betas: [0.9, 0.999], nesterov: false, foreach: null }] },
      map: new Map<unknown, unknown>([[1, 'one'], ['s', 2.5], [[1, 2], 'tuple key']]),
      big: 2n ** 70n, neg: -(2 ** 40), nan: NaN, str: 'h\u00e9llo \u2603', list: [[1, [2]], []],
    };
    const back = torch.load(torch.save(obj, { format: 'pt' }));
    expect(back.model.w.tolistSync()).toEqual(x.tolistSync());
    expect(back.model.wt.tolistSync()).toEqual(x.t().tolistSync());
    expect(back.model.wt.stride()).toEqual([1, 4]);
    expect(back.model.row.storage_offset()).toBe(4);
    expect(sharesStorage(back.model.w, back.model.wt)).toBe(true);
    expect(sharesStorage(back.model.w, back.model.row)).toBe(true);
    expect(sharesStorage(back.model.w, back.model.bias)).toBe(false);
    expect(back.model.bias.dtype).toBe('float64');
    expect(back.p).toBeInstanceOf(nn.Parameter);
    expect(back.p.requires_grad).toBe(true);
    expect(back.flags.dtype).toBe('bool');
    expect(back.flags.tolistSync()).toEqual([true, false]);
    expect(back.bytes.dtype).toBe('uint8');
    expect(back.ints.tolistSync()).toEqual([-5, 2 ** 31 - 1]);
    expect(back.optimizer).toEqual(obj.optimizer);
    expect([...back.map.entries()]).toEqual([[1, 'one'], ['s', 2.5], [[1, 2], 'tuple key']]);
    expect(back.big).toBe(2n ** 70n);
    expect(back.neg).toBe(-(2 ** 40));
    expect(back.nan).toBeNaN();
    expect(back.str).toBe(obj.str);
    expect(back.list).toEqual(obj.list);
  });

  it('writes a zip whose tensor data is 64-byte aligned', () => {
    const b = torch.save({ a: torch.ones(3), b: torch.zeros(5, { dtype: 'float64' }) }, { format: 'pt' });
    expect([b[0], b[1], b[2], b[3]]).toEqual([0x50, 0x4b, 3, 4]);
    const dv = new DataView(b.buffer, b.byteOffset);
    let p = 0, seen = 0;
    while (dv.getUint32(p, true) === 0x04034b50) {
      const nlen = dv.getUint16(p + 26, true), elen = dv.getUint16(p + 28, true), size = dv.getUint32(p + 18, true);
      const name = new TextDecoder().decode(b.subarray(p + 30, p + 30 + nlen));
      const start = p + 30 + nlen + elen;
      if (name.startsWith('archive/data/')) { expect(start % 64, name).toBe(0); seen++; }
      p = start + size;
    }
    expect(seen).toBe(2);
  });

  it('saves to a path and refuses unknown formats', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'webtorch-pt-')), 'x.pt');
    await torch.save({ a: torch.ones(2) }, path, { format: 'pt' });
    expect((await torch.load(path)).a.tolistSync()).toEqual([1, 1]);
    expect(() => torch.save({}, { format: 'pickle' as 'pt' })).toThrow(/unknown format/);
  });
});

describe.skipIf(!hasTorch())('files webtorch writes load in PyTorch with weights_only=True', () => {
  const dir = mkdtempSync(join(tmpdir(), 'webtorch-pt-py-'));
  const py = (...args: string[]) => JSON.parse(execFileSync(PY, [CHECK, ...args], { encoding: 'utf8' }));

  it('a state_dict (PyTorch\'s own, round-tripped) gives the same outputs in PyTorch', async () => {
    const net = new Net();
    net.load_state_dict(load('model_sd.pt'));
    const path = join(dir, 'sd.pt');
    await torch.save(net.state_dict(), path, { format: 'pt' });
    const r = py('load', path);
    expect(r.weights_only, r.error).toBe(true);
    // what PyTorch loaded is what webtorch holds (num_batches_tracked is int32 in webtorch, which
    // PyTorch's load_state_dict copies into its int64 buffer)
    expectMatches(net.state_dict(), r.value);
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ input: EXPECTED.net.input, shape: EXPECTED.net.input_shape }));
    const out = py('net', path, join(dir, 'in.json'));
    out.forEach((v: number, i: number) => expect(Math.abs(v - EXPECTED.net.output[i])).toBeLessThan(1e-6));
  });

  it('views, parameters, dtypes and nesting match in PyTorch, and views share a storage there', async () => {
    const x = torch.arange(12, { dtype: 'float32' }).reshape(3, 4);
    const obj = {
      x, xt: x.t(), row: x.index(1), col: x.index(':', 2), expanded: x.index(0).expand(3, 4),
      p: new nn.Parameter(torch.tensor([[1, 2]], { dtype: 'float32' })), frozen: new nn.Parameter(torch.ones(2), false),
      f64: torch.tensor([1 / 3], { dtype: 'float64' }), i32: torch.tensor([-3, 7]), u8: torch.tensor(new Uint8Array([1, 255])),
      b: torch.tensor([true, false]), scalar: torch.tensor(4.5), empty: torch.zeros(0, 3),
      nested: { list: [torch.ones(1), 3, 'a', null, true], state: { 0: { n: 1 } } },
    };
    const path = join(dir, 'views.pt');
    await torch.save(obj, path, { format: 'pt' });
    const r = py('load', path);
    expect(r.weights_only, r.error).toBe(true);
    expectMatches(torch.load(torch.save(obj, { format: 'pt' })), r.value);
    const shares = new Set(r.shares.map((p: string[]) => p.join()));
    for (const k of ['xt', 'row', 'col', 'expanded']) expect(shares.has(`x,${k}`), k).toBe(true);
    expect(shares.has('x,f64')).toBe(false);
  });

  it('an optimizer checkpoint with floats loads in PyTorch (1.13 needs weights_only=False for floats)', async () => {
    const ck = load('checkpoint.pt');
    const path = join(dir, 'ck.pt');
    await torch.save(ck, path, { format: 'pt' });
    const r = py('load', path);
    if (!r.weights_only) expect(r.error).toMatch(/Unsupported operand 71/); // BINFLOAT, read by PyTorch >= 2.0
    expectMatches(ck, r.value);
  });
});
