// Fuzzed parsers (issue 15): IDX (raw and gzipped) and safetensors, as test/pt_fuzz.test.ts does
// for PyTorch checkpoints. Thousands of seeded mutated, truncated, oversized-header and
// lying-length inputs per format: each must end quickly in a result or in an Error that names the
// file and the problem; never another exception, a crash, a hang or an allocation out of
// proportion to the file. Every valid IDX file parses, whatever its count.
import { describe, it, expect, afterAll } from 'vitest';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../ts/index.js';
import { parseIdx } from '../ts/datasets/idx.js';
import { gunzip } from '../ts/platform/index.js';
import { rng, mutate, type Rng } from './helpers/fuzz.js';
import { idx } from './helpers/idx.js';

const CASE_MS = 1000;
const counts: Record<string, { cases: number; errors: number; accepted: number }> = {};
let slowest = 0;

/** Runs one case; its outcome must be a value or an Error whose message starts with `prefix`. */
async function expectSafe(format: string, label: string, size: number, prefix: string, f: () => unknown): Promise<unknown> {
  const c = (counts[format] ??= { cases: 0, errors: 0, accepted: 0 });
  c.cases++;
  const mem0 = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  let err: unknown = null, value: unknown;
  try { value = await f(); } catch (e) { err = e; }
  const ms = performance.now() - t0;
  slowest = Math.max(slowest, ms);
  if (ms > CASE_MS) throw new Error(`${format} ${label}: took ${ms.toFixed(0)} ms`);
  const grown = process.memoryUsage().arrayBuffers - mem0;
  if (grown > 64 * size + (16 << 20)) throw new Error(`${format} ${label}: array buffers grew by ${grown} bytes for a ${size}-byte file`);
  if (err !== null) {
    if (!(err instanceof Error) || !err.message.startsWith(prefix) || err.message.length <= prefix.length + 8) {
      throw new Error(`${format} ${label}: expected an Error starting with '${prefix}', got ${err instanceof Error ? `${err.name}: ${err.message}\n${err.stack}` : String(err)}`);
    }
    c.errors++;
    return err;
  }
  c.accepted++;
  return value;
}

// ------------------------------------------------------------------------------------------ IDX
/** A valid IDX file of random rank (0-4) and sizes (0 included). */
function validIdx(r: Rng): { bytes: Uint8Array; dims: number[] } {
  const dims = Array.from({ length: r.int(5) }, () => r.int(5));
  const n = dims.reduce((a, b) => a * b, 1);
  return { bytes: idx(dims, Array.from({ length: n }, () => r.int(256))), dims };
}
/** A parse result must be self-consistent: its sizes account for every data byte. */
function checkIdx(v: unknown): void {
  if (v instanceof Error) return;
  const { dims, data } = v as { dims: number[]; data: Uint8Array };
  expect(data.length).toBe(dims.reduce((a, b) => a * b, 1));
}
/** Hand-made lies: oversized headers, sizes that overflow, wrong types. */
function idxLies(): [string, Uint8Array][] {
  const big = 0xffffffff;
  return [
    ['255 dimensions, no sizes', new Uint8Array([0, 0, 8, 255])],
    ['255 dimensions, some sizes', new Uint8Array([0, 0, 8, 255, 0, 0, 0, 1, 0, 0, 0, 1])],
    ['sizes of 2^32-1 cubed', idx([big, big, big], [1, 2, 3])],
    ['a count of 2^32-1 labels', idx([big], [1, 2, 3, 4])],
    ['a count one more than the data', idx([5], [1, 2, 3, 4])],
    ['a count one less than the data', idx([3], [1, 2, 3, 4])],
    ['float elements', idx([1], [0, 0, 0, 0], 0x0d)],
    ['type 0xff', idx([1], [0], 0xff)],
    ['magic bytes 0x0100', new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0])],
    ['empty file', new Uint8Array(0)],
  ];
}

describe('IDX fuzzing', () => {
  it('accepts every valid IDX file, whatever its count', () => {
    const r = rng(0x1d8);
    for (let i = 0; i < 500; i++) {
      const { bytes, dims } = validIdx(r);
      const v = parseIdx(bytes, `valid${i}.idx`);
      expect(v.dims).toEqual(dims);
      expect([...v.data]).toEqual([...bytes.subarray(4 + 4 * dims.length)]);
    }
    expect(parseIdx(idx([0xffffffff, 0, 0xffffffff], []), 'empty').dims).toEqual([0xffffffff, 0, 0xffffffff]); // a valid empty file
    for (const n of [0, 1, 7, 59999, 60001]) expect(parseIdx(idx([n], new Uint8Array(n)), 'labels', 1).dims).toEqual([n]);
    expect(parseIdx(idx([3, 28, 28], new Uint8Array(3 * 784)), 'images', 3).dims).toEqual([3, 28, 28]);
  });

  it('raw: mutated, truncated and lying files', async () => {
    const r = rng(0x1d81);
    for (let i = 0; i < 3000; i++) {
      const src = validIdx(r).bytes;
      const b = mutate(src, r, true);
      checkIdx(await expectSafe('idx', `mutation ${i}`, b.length, `dir/f${i}-idx3-ubyte: `, () => parseIdx(b, `dir/f${i}-idx3-ubyte`, r.int(2) ? undefined : 3)));
    }
    const src = idx([10, 28, 28], new Uint8Array(7840).fill(7));
    for (let cut = 0; cut < src.length; cut += 37) await expectSafe('idx', `truncated at ${cut}`, cut, 'images.idx: ', () => parseIdx(src.subarray(0, cut), 'images.idx', 3));
    for (const [name, b] of idxLies()) {
      const e = await expectSafe('idx', name, b.length, 'lies.idx: ', () => parseIdx(b, 'lies.idx'));
      expect(e, name).toBeInstanceOf(Error);
    }
  });

  it('gz: mutated gzip streams of valid and mutated files', async () => {
    const r = rng(0x9219);
    for (let i = 0; i < 1500; i++) {
      const src = validIdx(r).bytes;
      const inner = r.int(3) ? src : mutate(src, r, true);
      const gz = mutate(new Uint8Array(gzipSync(inner)), r);
      const name = `root/MNIST/raw/f${i}-idx1-ubyte.gz`;
      checkIdx(await expectSafe('idx.gz', `mutation ${i}`, gz.length, `${name}: `, async () => parseIdx(await gunzip(gz, name), name)));
    }
    // lying gzip headers and trailers: a wrong ISIZE, a wrong CRC, a stream cut anywhere
    const gz = new Uint8Array(gzipSync(idx([100], new Uint8Array(100).fill(3))));
    const lies: [string, Uint8Array][] = [];
    for (const v of [0, 1, 0xffffffff, 0x7fffffff]) { const b = gz.slice(); new DataView(b.buffer).setUint32(b.length - 4, v, true); lies.push([`ISIZE ${v}`, b]); }
    { const b = gz.slice(); b[b.length - 8] ^= 1; lies.push(['CRC off by one bit', b]); }
    for (let cut = 0; cut < gz.length; cut += 3) lies.push([`cut at ${cut}`, gz.subarray(0, cut)]);
    for (const [name, b] of lies) {
      const e = await expectSafe('idx.gz', name, b.length, 'lies.gz: ', async () => parseIdx(await gunzip(b, 'lies.gz'), 'lies.gz', 1));
      expect(e, name).toBeInstanceOf(Error);
    }
  });

  const root = mkdtempSync(join(tmpdir(), 'webtorch-idxfuzz-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  it('datasets.MNIST names the file it read for every corrupt file', async () => {
    const r = rng(0x3157);
    const raw = join(root, 'MNIST', 'raw');
    mkdirSync(raw, { recursive: true });
    const images = idx([4, 28, 28], new Uint8Array(4 * 784).fill(1));
    const labels = idx([4], [0, 1, 2, 3]);
    writeFileSync(join(raw, 't10k-labels-idx1-ubyte'), labels);
    let loaded = 0;
    for (let i = 0; i < 200; i++) {
      const gzipped = r.int(2) === 1;
      const file = join(raw, `t10k-images-idx3-ubyte${gzipped ? '.gz' : ''}`);
      rmSync(join(raw, 't10k-images-idx3-ubyte.gz'), { force: true });
      rmSync(join(raw, 't10k-images-idx3-ubyte'), { force: true });
      const b = gzipped ? mutate(new Uint8Array(gzipSync(images)), r) : mutate(images, r, true);
      writeFileSync(file, b);
      const v = await expectSafe(gzipped ? 'idx.gz' : 'idx', `MNIST ${i}`, b.length, 'MNIST: ', async () => {
        try { return await new torch.datasets.MNIST(root, { train: false }).ready(); } catch (e) {
          // the loader's own errors start with the file's path; say which dataset read it
          throw Object.assign(e as Error, { message: `MNIST: ${(e as Error).message}` });
        }
      });
      if (v instanceof Error) expect(v.message, `MNIST ${i}`).toContain(file);
      else loaded++;
    }
    expect(loaded).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------- safetensors
function validSafetensors(r: Rng): Uint8Array {
  const t = (shape: number[], dtype: 'float32' | 'float64' | 'int32' | 'uint8' | 'bool') =>
    torch.arange(shape.reduce((a, b) => a * b, 1), { dtype: dtype === 'bool' ? 'int32' : dtype }).reshape(shape).to(dtype);
  switch (r.int(3)) {
    case 0: return torch.save({ w: t([2, 3], 'float32'), b: t([3], 'float64'), i: t([2], 'int32'), m: t([4], 'bool'), u: t([1, 1], 'uint8') });
    case 1: return torch.save({ state: { 0: { step: 3, exp_avg: t([2], 'float32') } }, param_groups: [{ lr: 0.1, params: [0], betas: [0.9, 0.999] }] });
    default: return torch.save({ e: t([0], 'float32'), s: t([], 'float32') }, { metadata: { note: 'x'.repeat(r.int(40)) } });
  }
}
/** A safetensors file with the given header object and data bytes. */
function st(header: unknown, data: Uint8Array = new Uint8Array(0), lengthOverride?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const b = new Uint8Array(8 + json.length + data.length);
  new DataView(b.buffer).setUint32(0, lengthOverride ?? json.length, true);
  b.set(json, 8); b.set(data, 8 + json.length);
  return b;
}
/** A header entry of a valid file mutated into a lie (dtype, shape or offsets). */
function lyingHeader(r: Rng): Uint8Array {
  const lie = () => r.pick<unknown>([-1, 0, 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 64, 1.5, '3', null, [], [1, 2, 3], 1e308, -0]);
  const entry: Record<string, unknown> = { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] };
  switch (r.int(4)) {
    case 0: entry.dtype = r.pick(['F32', 'F16', 'BF16', 'I64', 'U16', 'F8_E4M3', 'C64', '', 7, null]); break;
    case 1: (entry.shape as unknown[])[r.int(2)] = lie(); if (r.int(3) === 0) entry.shape = lie(); break;
    case 2: (entry.data_offsets as unknown[])[r.int(2)] = lie(); if (r.int(3) === 0) entry.data_offsets = lie(); break;
    default: delete entry[r.pick(['dtype', 'shape', 'data_offsets'])];
  }
  const header = r.int(4) === 0 ? { __metadata__: r.pick<unknown>([{ a: 1 }, 'x', [], null, { 'webtorch.structure': '[' }]), t: entry } : { t: entry };
  return st(header, new Uint8Array(24 + r.pick([0, 0, 1, -1])));
}

describe('safetensors fuzzing', () => {
  it('mutated, truncated and lying files', async () => {
    const r = rng(0x5afe);
    for (let i = 0; i < 3000; i++) {
      const b = mutate(validSafetensors(r), r);
      await expectSafe('safetensors', `mutation ${i}`, b.length, 'torch.load: ', () => torch.load(b));
    }
    for (let i = 0; i < 1500; i++) {
      const b = lyingHeader(r);
      await expectSafe('safetensors', `lying header ${i}`, b.length, 'torch.load: ', () => torch.load(b));
    }
    const src = validSafetensors(r);
    for (let cut = 0; cut < src.length; cut++) await expectSafe('safetensors', `truncated at ${cut}`, cut, 'torch.load: ', () => torch.load(src.subarray(0, cut)));
  });

  it('oversized headers and lying lengths are refused before any allocation', async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['header length 2^64-1', (() => { const b = new Uint8Array(16).fill(0xff); return b; })(), /header size .* exceeds the limit/],
      ['header length 2^32', (() => { const b = new Uint8Array(16); b[4] = 1; return b; })(), /exceeds the limit/],
      ['header length 100 MB + 1', st('{}', undefined, 100_000_001), /exceeds the limit/],
      ['header length past the end', st('{}', undefined, 99_000_000), /truncated: the header needs 99000000 bytes/],
      ['a tensor of 2^40 elements over 4 bytes', st({ t: { dtype: 'F32', shape: [2 ** 20, 2 ** 20], data_offsets: [0, 4] } }, new Uint8Array(4)), /needs 4398046511104 bytes but data_offsets \[0, 4\] span 4/],
      ['offsets past the data', st({ t: { dtype: 'U8', shape: [2 ** 30], data_offsets: [0, 2 ** 30] } }, new Uint8Array(4)), /truncated: tensor 't' ends at data byte 1073741824/],
      ['overlapping tensors', st({ a: { dtype: 'U8', shape: [4], data_offsets: [0, 4] }, b: { dtype: 'U8', shape: [4], data_offsets: [0, 4] } }, new Uint8Array(4)), /overlaps/],
      ['a header that is an array', st('[1,2]'), /not a JSON object/],
      ['a header that is not UTF-8', st('{"\udcff":1}'.replace(/./g, (c) => c)).map((x, i) => (i === 10 ? 0xff : x)), /not valid UTF-8 JSON/],
      ['a structure nested 100000 deep', st({ __metadata__: { 'webtorch.structure': '['.repeat(100000) + ']'.repeat(100000) } }), /nests more than/],
      ['a structure naming a missing tensor', st({ __metadata__: { 'webtorch.structure': '{"__tensor__":"x"}' } }), /refers to tensor 'x'/],
      ['an I64 beyond int32', st({ t: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0])), /does not fit in int32/],
    ];
    for (const [name, b, re] of cases) {
      const e = await expectSafe('safetensors', name, b.length, 'torch.load: ', () => torch.load(b));
      expect((e as Error).message, name).toMatch(re);
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'webtorch-stfuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('torch.load(path) names the file in every error', async () => {
    const r = rng(0xf11e);
    for (let i = 0; i < 200; i++) {
      const b = mutate(validSafetensors(r), r);
      const path = join(dir, `ckpt${i}.safetensors`);
      writeFileSync(path, b);
      const v = await expectSafe('safetensors', `file ${i}`, b.length, `torch.load: ${path}: `, () => torch.load(path));
      if (!(v instanceof Error)) expect(typeof v).toBe('object');
    }
    const pt = join(dir, 'bad.pt');
    writeFileSync(pt, torch.save({ w: torch.ones([2]) }, { format: 'pt' }).subarray(0, 100));
    expect((await expectSafe('pt', 'truncated .pt file', 100, `torch.load: ${pt}: `, () => torch.load(pt)) as Error).message).toMatch(/bad\.pt: /);
  });
});

afterAll(() => {
  const line = Object.entries(counts).map(([f, c]) => `${f} ${c.cases} cases (${c.errors} errors, ${c.accepted} accepted)`).join('; ');
  console.log(`parser fuzz: ${line}; slowest ${slowest.toFixed(1)} ms`);
});
