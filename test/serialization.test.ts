import { describe, it, expect } from 'vitest';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../ts/index.js';
import { save, load, save_bytes, load_bytes, load_metadata, MAX_HEADER_BYTES } from '../ts/serialization.js';

const fixture = () => new Uint8Array(readFileSync(new URL('./fixtures/torch_written.safetensors', import.meta.url)));

/** Builds a safetensors file from a header object and data bytes. */
function build(header: unknown, data: Uint8Array, headerLen?: number): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setUint32(0, headerLen ?? h.length, true);
  out.set(h, 8); out.set(data, 8 + h.length);
  return out;
}

describe('safetensors: files written by PyTorch', () => {
  it('reads every dtype of the committed fixture', () => {
    const sd = load(fixture());
    expect(Object.keys(sd).sort()).toEqual(['bias', 'bytes', 'double', 'empty', 'half', 'int', 'long', 'mask', 'scalar', 'weight']);
    expect(sd.weight.dtype).toBe('float32');
    expect(sd.weight.shape).toEqual([3, 4]);
    expect(sd.weight.tolistSync()).toEqual([[-1, -0.75, -0.5, -0.25], [0, 0.25, 0.5, 0.75], [1, 1.25, 1.5, 1.75]]);
    expect(Array.from(sd.bias.dataSync())).toEqual(Array.from(new Float32Array([0.5, -1.25, 3e-7])));
    expect(sd.double.dtype).toBe('float64');
    expect(sd.double.tolistSync()).toEqual([[1 / 3, -2.5], [1e300, -0]]);
    expect(sd.long.dtype).toBe('int32');
    expect(sd.long.tolistSync()).toEqual([-3, 0, 2 ** 31 - 1, -(2 ** 31)]);
    expect(sd.int.tolistSync()).toEqual([[-2, -1, 0], [1, 2, 3]]);
    expect(sd.bytes.dtype).toBe('uint8');
    expect(sd.bytes.tolistSync()).toEqual([0, 7, 255]);
    expect(sd.mask.dtype).toBe('bool');
    expect(sd.mask.tolistSync()).toEqual([true, false, true]);
    expect(sd.scalar.shape).toEqual([]);
    expect(sd.scalar.itemSync()).toBe(2.5);
    expect(sd.empty.shape).toEqual([0, 3]);
    expect(sd.half.dtype).toBe('float32');
    expect(sd.half.tolistSync()).toEqual([1, -0.5, 65504]);
    expect(load_metadata(fixture())).toEqual({ format: 'pt', writer: 'python' });
  });
});

describe('safetensors: save and load', () => {
  it('round-trips a state dict of every dtype', () => {
    torch.manual_seed(1);
    const sd = {
      'fc.weight': torch.randn(5, 3), 'fc.bias': torch.randn(5, { dtype: 'float64' }),
      idx: torch.tensor([1, -2, 3]), img: torch.tensor(new Uint8Array([1, 2, 250])), flag: torch.tensor([true, false]),
      s: torch.tensor(3.5), e: torch.zeros(0),
    };
    const bytes = save(sd);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const back = load(bytes);
    expect(Object.keys(back)).toEqual(Object.keys(sd));
    for (const [k, t] of Object.entries(sd)) {
      expect(back[k].dtype).toBe(t.dtype);
      expect(back[k].shape).toEqual(t.shape);
      expect(back[k].tolistSync()).toEqual(t.tolistSync());
    }
    // non-contiguous views are saved as their values
    const v = torch.arange(12, { dtype: 'float32' }).reshape(3, 4).t();
    expect(load(save({ v })).v.tolistSync()).toEqual(v.tolistSync());
    // a Map state dict and a bare tensor
    expect(load(save(new Map([['a', torch.ones(2)]]))).a.tolistSync()).toEqual([1, 1]);
    expect(load(save(torch.ones(2))).tolistSync()).toEqual([1, 1]);
  });

  it('round-trips nested structures such as optimizer state dicts', () => {
    const opt = {
      state: { 0: { step: 3, momentum_buffer: torch.ones(2, 2) }, 1: { step: 3, momentum_buffer: torch.zeros(3) } },
      param_groups: [{ lr: 0.01, momentum: 0.5, nesterov: false, weight_decay: 0, dampening: 0, maximize: false, foreach: null, params: [0, 1], eps: Infinity }],
    };
    const back = load(save(opt));
    expect(back.param_groups).toEqual([{ ...opt.param_groups[0] }]);
    expect(back.state['0'].step).toBe(3);
    expect(back.state['0'].momentum_buffer.tolistSync()).toEqual([[1, 1], [1, 1]]);
    expect(back.state['1'].momentum_buffer.shape).toEqual([3]);
    const m = load(save({ m: new Map<unknown, unknown>([[1, torch.ones(1)], ['x', 'y']]) as never }));
    expect(m.m).toBeInstanceOf(Map);
    expect(m.m.get(1).tolistSync()).toEqual([1]);
    expect(m.m.get('x')).toBe('y');
  });

  it('writes and reads files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webtorch-'));
    const path = join(dir, 'x.safetensors');
    const bytes = await save({ w: torch.arange(4, { dtype: 'float32' }) }, path);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    const back = await load(path);
    expect(back.w.tolistSync()).toEqual([0, 1, 2, 3]);
    // the bytes of readFileSync (a Node Buffer, whose slice() is a view, not a copy)
    const fromBuffer = load(readFileSync(path));
    expect(fromBuffer.w.tolistSync()).toEqual([0, 1, 2, 3]);
  });

  it('reads large tensors quickly', () => {
    const big = torch.randn(1000, 1000);
    const t0 = performance.now();
    const back = load(save({ big }));
    expect(performance.now() - t0).toBeLessThan(500);
    const a = back.big.dataSync(), b = big.dataSync();
    let same = a.length === b.length;
    for (let i = 0; i < a.length && same; i++) same = a[i] === b[i];
    expect(same).toBe(true);
  });
});

describe('safetensors: corrupt input', () => {
  const good = save({ a: torch.arange(6, { dtype: 'float32' }).reshape(2, 3), b: torch.tensor([1, 2, 3]) });
  const entry = (o: number[]) => ({ a: { dtype: 'F32', shape: [2], data_offsets: o } });

  it('rejects every truncation with a clear error', () => {
    for (let n = 0; n < good.length; n++) {
      expect(() => load(good.subarray(0, n)), `length ${n}`).toThrow(/torch\.load: .*(too short|truncated|not valid UTF-8 JSON|header size)/);
    }
    expect(() => load(fixture().subarray(0, 900))).toThrow(/truncated/);
  });

  it('never crashes on random corruption', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < 2000; k++) {
      const b = good.slice();
      const flips = 1 + Math.floor(rnd() * 4);
      for (let j = 0; j < flips; j++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      try { load(b); } catch (e) { expect(e).toBeInstanceOf(Error); expect(String((e as Error).message)).toMatch(/torch\.load/); }
    }
  });

  it('rejects lying headers', () => {
    const d8 = new Uint8Array(8);
    expect(() => load(build(entry([0, 16]), d8))).toThrow(/needs 8 bytes but data_offsets \[0, 16\] span 16/);
    expect(() => load(build({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, d8))).toThrow(/truncated: tensor 'a' ends at data byte 16/);
    expect(() => load(build({ ...entry([0, 8]), b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, new Uint8Array(12)))).toThrow(/overlaps/);
    expect(() => load(build(entry([4, 12]), new Uint8Array(12)))).toThrow(/gap of 4 bytes/);
    expect(() => load(build(entry([0, 8]), new Uint8Array(12)))).toThrow(/describes 8 data bytes but the file holds 12/);
    expect(() => load(build(entry([8, 0]), d8))).toThrow(/invalid data_offsets/);
    expect(() => load(build(entry([-8, 0]), d8))).toThrow(/invalid data_offsets/);
    expect(() => load(build(entry([0, 1e300]), d8))).toThrow(/invalid data_offsets/);
    expect(() => load(build({ a: { dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 8] } }, d8))).toThrow(/needs/);
    expect(() => load(build({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, d8))).toThrow(/invalid shape/);
    expect(() => load(build({ a: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, d8))).toThrow(/unsupported dtype "C64"/);
    expect(() => load(build({ a: 5 }, d8))).toThrow(/not an object/);
    expect(() => load(build([1, 2], d8))).toThrow(/not a JSON object/);
    expect(() => load(build({ __metadata__: { a: 1 } }, new Uint8Array(0)))).toThrow(/__metadata__/);
    const i64 = new BigInt64Array([5n, 2n ** 40n]);
    expect(() => load(build({ a: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, new Uint8Array(i64.buffer)))).toThrow(/1099511627776, which does not fit in int32/);
  });

  it('rejects oversized headers without allocating them', () => {
    const b = new Uint8Array(16);
    new DataView(b.buffer).setUint32(0, MAX_HEADER_BYTES + 1, true);
    expect(() => load(b)).toThrow(/header size 100000001 bytes exceeds the limit/);
    new DataView(b.buffer).setUint32(4, 7, true);
    expect(() => load(b)).toThrow(/exceeds the limit/);
    new DataView(b.buffer).setUint32(4, 0, true);
    new DataView(b.buffer).setUint32(0, 1000, true);
    expect(() => load(b)).toThrow(/truncated: the header needs 1000 bytes but only 8 follow/);
    expect(() => load(new Uint8Array([1, 2, 3]))).toThrow(/too short/);
    const junk = new Uint8Array(24); new DataView(junk.buffer).setUint32(0, 8, true); junk.fill(0xff, 8);
    expect(() => load(junk)).toThrow(/not valid UTF-8 JSON/);
  });
});
