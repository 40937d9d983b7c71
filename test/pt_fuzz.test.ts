// torch.load of hostile input: thousands of seeded mutations and truncations of the PyTorch
// fixtures (raw bytes, and the pickle inside each zip re-packed with a valid CRC so that the
// unpickler sees it), random opcode programs, and hand-made malicious pickles (forbidden globals,
// forbidden opcodes, huge lengths, nesting bombs, bad memo references, lying tensors and zips).
// Every case must end, quickly, in a result or in an Error whose message starts with
// `torch.load:`; never another exception, a crash, a hang or an allocation out of proportion to
// the file.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../ts/index.js';
import { readZip, writeZip } from '../ts/pt/zip.js';
import { rng, mutate } from './helpers/fuzz.js';

const DIR = new URL('./fixtures/pt/', import.meta.url).pathname;
const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.pt')).sort();
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
/** Per-case wall-clock budget: loads of these small files take well under a millisecond. */
const CASE_MS = 1000;

const stats = { cases: 0, errors: 0, loaded: 0, maxMs: 0 };

/** Loads `b`; the outcome must be a value or a torch.load error, within the time and memory bounds. */
function expectSafe(b: Uint8Array, label: string): unknown {
  stats.cases++;
  const mem0 = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  let err: unknown = null, value: unknown;
  try { value = torch.load(b); } catch (e) { err = e; }
  const ms = performance.now() - t0;
  stats.maxMs = Math.max(stats.maxMs, ms);
  const grown = process.memoryUsage().arrayBuffers - mem0;
  if (ms > CASE_MS) throw new Error(`${label}: took ${ms.toFixed(0)} ms`);
  if (grown > 64 * b.length + (16 << 20)) throw new Error(`${label}: array buffers grew by ${grown} bytes for a ${b.length}-byte file`);
  if (err !== null) {
    if (!(err instanceof Error) || !err.message.startsWith('torch.load:')) {
      throw new Error(`${label}: threw ${err instanceof Error ? `${err.name}: ${err.message}\n${err.stack}` : String(err)}`);
    }
    stats.errors++;
    return err;
  }
  stats.loaded++;
  return value;
}

/** The zip's entries with data.pkl replaced by `pkl`, re-packed (valid CRCs). */
function repack(zip: Uint8Array, pkl: Uint8Array): Uint8Array {
  const z = readZip(zip);
  return writeZip([...z.entries.values()].map((e) => ({ name: e.name, data: e.name.endsWith('/data.pkl') ? pkl : z.read(e) })));
}
function pickleOf(zip: Uint8Array): Uint8Array {
  const z = readZip(zip);
  return z.read([...z.entries.values()].find((e) => e.name.endsWith('/data.pkl'))!);
}

describe('torch.load fuzzing', () => {
  it('mutated and truncated fixtures (raw bytes)', () => {
    const r = rng(0x5eed);
    for (const f of FIXTURES) {
      const src = bytesOf(f);
      for (let i = 0; i < 400; i++) expectSafe(mutate(src, r), `${f} raw mutation ${i}`);
      for (let cut = 0; cut < src.length; cut += Math.max(1, Math.floor(src.length / 60))) expectSafe(src.slice(0, cut), `${f} truncated at ${cut}`);
    }
  });

  it('mutated pickles inside valid zips, and mutated legacy pickles', () => {
    const r = rng(0xbadc0de);
    for (const f of FIXTURES.filter((n) => n !== 'legacy.pt')) {
      const zip = bytesOf(f), pkl = pickleOf(zip);
      for (let i = 0; i < 300; i++) expectSafe(repack(zip, mutate(pkl, r)), `${f} pickle mutation ${i}`);
    }
    const legacy = bytesOf('legacy.pt');
    for (let i = 0; i < 1500; i++) expectSafe(mutate(legacy, r), `legacy.pt mutation ${i}`);
  });

  it('random opcode programs', () => {
    const r = rng(42);
    const ops = [0x28, 0x2e, 0x30, 0x31, 0x32, 0x4e, 0x88, 0x89, 0x4b, 0x4a, 0x4d, 0x8a, 0x47, 0x58, 0x8c, 0x43, 0x5d, 0x6c, 0x61, 0x65,
      0x29, 0x74, 0x85, 0x86, 0x87, 0x7d, 0x64, 0x73, 0x75, 0x8f, 0x90, 0x91, 0x68, 0x6a, 0x71, 0x72, 0x94, 0x52, 0x81, 0x62, 0x51, 0x95];
    const globals = ['collections\nOrderedDict\n', 'torch._utils\n_rebuild_tensor_v2\n', 'torch\nFloatStorage\n', 'torch\nLongStorage\n',
      'torch._utils\n_rebuild_parameter\n', 'torch\nSize\n', 'builtins\nset\n', '_codecs\nencode\n', 'torch\nfloat16\n', 'torch.nn.parameter\nParameter\n'];
    const enc = new TextEncoder();
    const storage = new Uint8Array(64);
    for (let i = 0; i < 3000; i++) {
      const out: number[] = [0x80, 2];
      const len = 1 + r.int(60);
      for (let k = 0; k < len; k++) {
        const roll = r.int(10);
        if (roll === 0) { out.push(0x63, ...enc.encode(r.pick(globals))); continue; }
        if (roll === 1) { out.push(0x58, 7, 0, 0, 0, ...enc.encode('storage')); continue; }
        if (roll === 2) { out.push(0x58, 1, 0, 0, 0, 0x30); continue; } // '0', the storage key
        const op = r.pick(ops);
        out.push(op);
        if ([0x4b, 0x68, 0x71, 0x8c, 0x43, 0x8a].includes(op)) out.push(r.int(4) ? r.int(8) : r.int(256));
        if ([0x4a, 0x6a, 0x72, 0x58].includes(op)) out.push(r.int(16), 0, 0, r.int(8) ? 0 : r.int(256));
        if (op === 0x4d) out.push(r.int(256), r.int(256));
        if (op === 0x47 || op === 0x95) for (let q = 0; q < 8; q++) out.push(r.int(4) ? 0 : r.int(256));
      }
      if (r.int(2)) out.push(0x2e);
      const pkl = new Uint8Array(out);
      expectSafe(writeZip([{ name: 'archive/data.pkl', data: pkl }, { name: 'archive/data/0', data: storage }]), `program ${i}`);
    }
  });

  it(`ran thousands of cases, each well within ${CASE_MS} ms`, () => {
    expect(stats.cases).toBeGreaterThan(10_000);
    expect(stats.errors).toBeGreaterThan(stats.cases / 2);
    console.log(`pt fuzz: ${stats.cases} cases, ${stats.errors} torch.load errors, ${stats.loaded} loaded, slowest ${stats.maxMs.toFixed(1)} ms`);
  });
});

// ------------------------------------------------------------------ hand-made malicious pickles
const enc = new TextEncoder();
type Part = number | string | Uint8Array | Part[];
/** Concatenates bytes: numbers are bytes, strings latin-1 (opcodes and GLOBAL lines), arrays nest. */
function pk(...parts: Part[]): Uint8Array {
  const out: number[] = [];
  const add = (p: Part) => {
    if (typeof p === 'number') out.push(p);
    else if (typeof p === 'string') for (const c of p) out.push(c.charCodeAt(0));
    else if (p instanceof Uint8Array) for (const x of p) out.push(x);
    else p.forEach(add);
  };
  parts.forEach(add);
  return new Uint8Array(out);
}
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const S = (s: string) => { const b = enc.encode(s); return pk('X', u32(b.length), b); }; // BINUNICODE
const I = (v: number) => pk('J', u32(v >>> 0)); // BININT
const G = (m: string, n: string) => pk('c', `${m}\n${n}\n`);
const T = (...items: Part[]) => pk('(', ...items, 't');
const PROTO = [0x80, 2];
const STOP = '.';
const od = pk(G('collections', 'OrderedDict'), ')', 'R');
/** ('storage', torch.<type>, key, 'cpu', numel) as a persistent id */
const pid = (type: string, key: string, numel: number) => pk(T(S('storage'), G('torch', type), S(key), S('cpu'), I(numel)), 'Q');
const rebuild = (storage: Uint8Array, offset: number, size: number[], stride: number[], rg = 0x89) =>
  pk(G('torch._utils', '_rebuild_tensor_v2'), T(storage, I(offset), T(...size.map(I)), T(...stride.map(I)), rg, od), 'R');

const zipOf = (pkl: Uint8Array, extra: { name: string; data: Uint8Array }[] = []) => writeZip([{ name: 'archive/data.pkl', data: pkl }, ...extra]);
const floats = (n: number) => ({ name: 'archive/data/0', data: new Uint8Array(new Float32Array(n).fill(1).buffer) });
const legacyOf = (payload: Uint8Array, tail: Uint8Array = pk(PROTO, ']', STOP)) => pk(
  PROTO, 0x8a, 10, [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19], STOP, PROTO, 'M', 0xe9, 0x03, STOP, PROTO, '}', STOP, payload, tail);

/**
 * Loads a hand-made case both in a zip and as a legacy stream; both must be torch.load errors,
 * matching `re` (in the legacy stream too unless the case has zip-style persistent ids, which a
 * legacy stream refuses first).
 */
function expectRefused(pkl: Uint8Array, re: RegExp, extra: { name: string; data: Uint8Array }[] = []): void {
  const zipStylePids = pkl.includes(0x51);
  for (const [how, b] of [['zip', zipOf(pkl, extra)], ['legacy', legacyOf(pkl)]] as const) {
    const e = expectSafe(b, how);
    expect(e, `${how}: expected an error`).toBeInstanceOf(Error);
    if (how === 'zip' || !zipStylePids) expect((e as Error).message, how).toMatch(re);
  }
}

describe('hand-made malicious pickles are refused with a torch.load: error', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['GLOBAL os.system', pk(PROTO, G('os', 'system'), T(S('touch /tmp/pwned')), 'R', STOP), /global 'os\.system'.*not on webtorch's allow-list/],
    ['GLOBAL builtins.eval', pk(PROTO, G('builtins', 'eval'), T(S('1+1')), 'R', STOP), /'builtins\.eval'/],
    ['GLOBAL __builtin__.eval (Python 2 name)', pk(PROTO, G('__builtin__', 'eval'), T(S('1+1')), 'R', STOP), /'builtins\.eval'/],
    ['GLOBAL builtins.exec', pk(PROTO, G('builtins', 'exec'), T(S('x')), 'R', STOP), /'builtins\.exec'/],
    ['GLOBAL builtins.getattr', pk(PROTO, G('builtins', 'getattr'), STOP), /'builtins\.getattr'/],
    ['GLOBAL posix.system', pk(PROTO, G('posix', 'system'), T(S('id')), 'R', STOP), /'posix\.system'/],
    ['GLOBAL nt.system', pk(PROTO, G('nt', 'system'), STOP), /'nt\.system'/],
    ['GLOBAL subprocess.Popen', pk(PROTO, G('subprocess', 'Popen'), STOP), /'subprocess\.Popen'/],
    ['GLOBAL torch.load', pk(PROTO, G('torch', 'load'), STOP), /'torch\.load'/],
    ['GLOBAL torch.storage._load_from_bytes', pk(PROTO, G('torch.storage', '_load_from_bytes'), STOP), /'torch\.storage\._load_from_bytes'/],
    ['GLOBAL numpy.core.multiarray._reconstruct', pk(PROTO, G('numpy.core.multiarray', '_reconstruct'), STOP), /'numpy\.core\.multiarray\._reconstruct'/],
    ['STACK_GLOBAL os.system', pk(0x80, 4, S('os'), S('system'), 0x93, T(S('id')), 'R', STOP), /'os\.system'/],
    ['INST os.system', pk(PROTO, '(', S('id'), 'i', 'os\nsystem\n', STOP), /opcode INST \(instantiate os\.system\) is not allowed/],
    ['OBJ', pk(PROTO, '(', G('collections', 'OrderedDict'), 'o', STOP), /opcode OBJ is not allowed/],
    ['REDUCE of a dtype (allowed global, not callable)', pk(PROTO, G('torch', 'float32'), ')', 'R', STOP), /torch\.float32 is not callable/],
    ['REDUCE of a storage class', pk(PROTO, G('torch', 'FloatStorage'), T(I(3)), 'R', STOP), /can only appear inside a persistent id/],
    ['REDUCE of a string', pk(PROTO, S('os.system'), T(S('id')), 'R', STOP), /REDUCE of a str, which is not callable/],
    ['REDUCE of a sparse rebuild', pk(PROTO, G('torch._utils', '_rebuild_sparse_tensor'), ')', 'R', STOP), /sparse tensors are not supported/],
    ['REDUCE with non-tuple args', pk(PROTO, G('collections', 'OrderedDict'), ']', 'R', STOP), /a tuple is required/],
    ['NEWOBJ of a function', pk(PROTO, G('torch._utils', '_rebuild_tensor_v2'), ')', 0x81, STOP), /NEWOBJ of torch\._utils\._rebuild_tensor_v2 is not allowed/],
    ['NEWOBJ_EX with kwargs', pk(0x80, 4, G('collections', 'OrderedDict'), ')', '}', S('a'), I(1), 's', 0x92, STOP), /keyword arguments is not allowed/],
    ['BUILD on a dict', pk(PROTO, '}', '}', 'b', STOP), /BUILD of a dict is not allowed/],
    ['BUILD on a list', pk(PROTO, ']', '}', 'b', STOP), /BUILD of a list is not allowed/],
    ['BUILD on a string', pk(PROTO, S('x'), '}', 'b', STOP), /BUILD of a str is not allowed/],
    ['EXT1', pk(PROTO, 0x82, 1, STOP), /opcode EXT1 is not allowed/],
    ['EXT4', pk(PROTO, 0x84, u32(1), STOP), /opcode EXT4 is not allowed/],
    ['PERSID (text)', pk(PROTO, 'P', '0\n', STOP), /opcode PERSID is not allowed/],
    ['NEXT_BUFFER', pk(0x80, 5, 0x97, STOP), /opcode NEXT_BUFFER is not allowed/],
    ['READONLY_BUFFER', pk(0x80, 5, S('x'), 0x98, STOP), /opcode READONLY_BUFFER is not allowed/],
    ['protocol 6', pk(0x80, 6, 'N', STOP), /unsupported pickle protocol 6/],
    ['unknown opcode', pk(PROTO, 0xff, STOP), /unknown opcode 0xff/],
    ['text STRING', pk(PROTO, 'S', "'x'\n", STOP), /protocol 0 text strings/],
    // huge lengths
    ['BINUNICODE of 4 GiB', pk(PROTO, 'X', u32(0xffffffff), 'abc', STOP), /truncated: BINUNICODE needs 4294967295 bytes/],
    ['BINBYTES8 of 2^40', pk(0x80, 4, 0x8e, [0, 0, 0, 0, 0, 1, 0, 0], STOP), /BINBYTES8 claims 1099511627776 bytes/],
    ['BINUNICODE8 of 2^63', pk(0x80, 4, 0x8d, [0, 0, 0, 0, 0, 0, 0, 0x80], STOP), /BINUNICODE8 claims/],
    ['FRAME of 2^60', pk(0x80, 4, 0x95, [0, 0, 0, 0, 0, 0, 0, 0x10], 'N', STOP), /FRAME claims/],
    ['LONG4 of 2^31-1 bytes', pk(PROTO, 0x8b, u32(0x7fffffff), STOP), /a pickled int of 2147483647 bytes is too large/],
    ['LONG4 negative', pk(PROTO, 0x8b, u32(0xffffffff), STOP), /LONG4 with negative length/],
    ['BINSTRING negative', pk(PROTO, 'T', u32(0xfffffff0), STOP), /BINSTRING with negative length/],
    // memo and stack abuse
    ['BINGET of an empty memo', pk(PROTO, 'h', 5, STOP), /memo key 5 is not defined/],
    ['LONG_BINGET out of range', pk(PROTO, 'N', 'q', 0, 'j', u32(0xffffffff), STOP), /memo key 4294967295 is not defined/],
    ['PUT on an empty stack', pk(PROTO, 'q', 0, STOP), /stack underflow/],
    ['STOP on an empty stack', pk(PROTO, STOP), /stack underflow/],
    ['TUPLE without MARK', pk(PROTO, 'N', 't', STOP), /no MARK to pop to/],
    ['APPEND to a dict', pk(PROTO, '}', 'N', 'a', STOP), /APPEND to a dict.*only lists/],
    ['APPENDS to a tuple', pk(PROTO, ')', '(', 'N', 'e', STOP), /APPENDS to a tuple/],
    ['SETITEM on a list', pk(PROTO, ']', S('k'), 'N', 's', STOP), /SETITEM on a list/],
    ['SETITEMS odd', pk(PROTO, '}', '(', S('k'), 'u', STOP), /SETITEMS with an odd number of items/],
    ['ADDITEMS to a frozenset', pk(0x80, 4, '(', 0x91, '(', 'N', 0x90, STOP), /ADDITEMS to a frozenset/],
    ['unhashable list key', pk(PROTO, '}', ']', 'N', 's', STOP), /unhashable type: 'list'/],
    ['truncated (no STOP)', pk(PROTO, ']', '(', 'N', 'N'), /the pickle is truncated: an opcode needs 1 bytes/],
    ['a list nested 100000 deep', pk(PROTO, Array(100000).fill(']'), Array(99999).fill('a'), STOP), /nests more than 1000 containers deep/],
    ['MARK bomb', pk(PROTO, Array(200000).fill('('), STOP), /stack underflow/],
    // lying tensors
    ['tensor beyond its storage', pk(PROTO, rebuild(pid('FloatStorage', '0', 4), 2, [3], [1]), STOP), /reaches element 4 of a storage of 4 elements/],
    ['tensor with negative stride', pk(PROTO, rebuild(pid('FloatStorage', '0', 4), 3, [2], [-1]), STOP), /negative stride/],
    ['tensor with 2^40 elements over one', pk(PROTO, rebuild(pid('FloatStorage', '0', 4), 0, [1 << 20, 1 << 20], [0, 0]), STOP), /more than webtorch's limit/],
    ['tensor with 65 dims', pk(PROTO, rebuild(pid('FloatStorage', '0', 4), 0, Array(65).fill(1), Array(65).fill(1)), STOP), /at most 64 are supported/],
    ['size and stride lengths differ', pk(PROTO, rebuild(pid('FloatStorage', '0', 4), 0, [2, 2], [1]), STOP), /differ in length/],
    ['requires_grad on an int tensor', pk(PROTO, rebuild(pid('IntStorage', '0', 4), 0, [2], [1], 0x88), STOP), /requires grad but is int32/],
    ['rebuild with a string storage', pk(PROTO, G('torch._utils', '_rebuild_tensor_v2'), T(S('x'), I(0), ')', ')', 0x89, od), 'R', STOP), /the first argument must be a storage/],
    ['rebuild with 3 arguments', pk(PROTO, G('torch._utils', '_rebuild_tensor_v2'), T(pid('FloatStorage', '0', 4), I(0), ')'), 'R', STOP), /expects 6 arguments, got 3/],
    ['persistent id that is not a storage', pk(PROTO, T(S('module'), S('x')), 'Q', STOP), /whole nn\.Module/],
    ['persistent id of a dtype', pk(PROTO, T(S('storage'), G('torch', 'float32'), S('0'), S('cpu'), I(4)), 'Q', STOP), /expected a storage type/],
    ['persistent id with a negative size', pk(PROTO, pid('FloatStorage', '0', -1), STOP), /invalid storage size -1/],
    ['one storage key, two dtypes', pk(PROTO, '(', pid('FloatStorage', '0', 4), pid('IntStorage', '0', 4), 't', STOP), /storage '0' is named twice/],
    ['complex storage', pk(PROTO, pid('ComplexFloatStorage', '0', 4), STOP), /complex or quantized/],
  ];
  for (const [name, pkl, re] of cases) it(name, () => expectRefused(pkl, re, [floats(4)]));

  it('a nested-list DAG of 2^200 logical elements loads at once, shared, not copied', () => {
    const levels: Part[] = [PROTO, ']', 'q', 0];
    for (let i = 1; i <= 200; i++) levels.push('(', 'h', (i - 1) & 0xff, 'h', (i - 1) & 0xff, 'l', 'q', i & 0xff);
    levels.push(STOP);
    // memo keys wrap at 256 (BINPUT), each level still refers to the one before it
    const v = expectSafe(zipOf(pk(...levels)), 'dag') as unknown[];
    expect(Array.isArray(v) && v[0] === v[1]).toBe(true);
  });

  it('a self-referencing list loads as a cycle', () => {
    const v = expectSafe(zipOf(pk(PROTO, ']', 'q', 0, 'h', 0, 'a', STOP)), 'cycle') as unknown[];
    expect(v[0]).toBe(v);
  });

  it('zip containers that lie', () => {
    const good = zipOf(pk(PROTO, rebuild(pid('FloatStorage', '0', 4), 0, [4], [1]), STOP), [floats(4)]);
    expect((expectSafe(good, 'good') as { shape: number[] }).shape).toEqual([4]);
    const cases: [string, Uint8Array, RegExp][] = [
      ['no data.pkl', writeZip([{ name: 'archive/other', data: new Uint8Array(1) }]), /no 'archive\/data\.pkl' entry/],
      ['no storage entry', zipOf(pk(PROTO, rebuild(pid('FloatStorage', '0', 4), 0, [4], [1]), STOP)), /has no 'archive\/data\/0' entry/],
      ['storage entry of the wrong size', zipOf(pk(PROTO, rebuild(pid('FloatStorage', '0', 8), 0, [4], [1]), STOP), [floats(4)]), /holds 16 bytes, but the pickle describes 8 float32 elements/],
      ['TorchScript', writeZip([{ name: 'archive/data.pkl', data: pk(PROTO, 'N', STOP) }, { name: 'archive/constants.pkl', data: pk(PROTO, 'N', STOP) }]), /TorchScript archive/],
      ['byteorder middle', zipOf(pk(PROTO, 'N', STOP), [{ name: 'archive/byteorder', data: enc.encode('middle') }]), /byteorder' holds 'middle'/],
      ['not in a folder', writeZip([{ name: 'data.pkl', data: pk(PROTO, 'N', STOP) }]), /not in an archive folder/],
    ];
    for (const [name, b, re] of cases) expect((expectSafe(b, name) as Error).message, name).toMatch(re);
    const patch = (b: Uint8Array, f: (dv: DataView, cd: number) => void) => { const c = b.slice(); const dv = new DataView(c.buffer); f(dv, dv.getUint32(c.length - 6, true)); return c; };
    const lies: [string, Uint8Array, RegExp][] = [
      ['bad CRC', patch(good, (dv, cd) => dv.setUint32(cd + 16, dv.getUint32(cd + 16, true) ^ 1, true)), /fails its CRC-32 check/],
      ['encrypted', patch(good, (dv, cd) => dv.setUint16(cd + 8, 1, true)), /is encrypted/],
      ['bzip2', patch(good, (dv, cd) => dv.setUint16(cd + 10, 12, true)), /compression method 12/],
      ['deflate of 4 GiB from a few bytes', patch(good, (dv, cd) => { dv.setUint16(cd + 10, 8, true); dv.setUint32(cd + 24, 0xfffffff0, true); }), /claims 4294967280 bytes from/],
      ['central directory outside the file', patch(good, (dv) => dv.setUint32(dv.byteLength - 6, 0x7ffffff0, true)), /lies outside/],
      ['entry beyond the file', patch(good, (dv, cd) => dv.setUint32(cd + 42, 0x7ffffff0, true)), /local header of entry 'archive\/data\.pkl' is missing/],
      ['zip64 without a locator', patch(good, (dv) => dv.setUint16(dv.byteLength - 12, 0xffff, true)), /zip64 archive without its zip64 locator/],
      ['no end record', good.slice(0, good.length - 22), /no end-of-central-directory record/],
    ];
    for (const [name, b, re] of lies) expect((expectSafe(b, name) as Error).message, name).toMatch(re);
    const dup = writeZip([{ name: 'archive/data.pkl', data: pk(PROTO, 'N', STOP) }, { name: 'archive/data.pkl', data: pk(PROTO, 'N', STOP) }]);
    expect((expectSafe(dup, 'duplicate') as Error).message).toMatch(/two entries named 'archive\/data\.pkl'/);
  });

  it('legacy streams that lie', () => {
    const payload = pk(PROTO, rebuild(pk(T(S('storage'), G('torch', 'FloatStorage'), S('k'), S('cpu'), I(2), 'N'), 'Q'), 0, [2], [1]), STOP);
    const keys = pk(PROTO, ']', '(', S('k'), 'e', STOP);
    const data = pk([2, 0, 0, 0, 0, 0, 0, 0], new Uint8Array(new Float32Array([1, 2]).buffer));
    expect((expectSafe(legacyOf(payload, pk(keys, data)), 'good') as { tolistSync(): number[] }).tolistSync()).toEqual([1, 2]);
    const cases: [string, Uint8Array, RegExp][] = [
      ['storage data truncated', legacyOf(payload, pk(keys, data.subarray(0, 12))), /truncated: storage 'k' needs 8 bytes/],
      ['size field disagrees', legacyOf(payload, pk(keys, [3, 0, 0, 0, 0, 0, 0, 0], data.subarray(8))), /holds 3 elements in the file, but the pickle says 2/],
      ['unknown key listed', legacyOf(payload, pk(PROTO, ']', '(', S('zz'), 'e', STOP, data)), /names 'zz', which no tensor uses/],
      ['key listed twice', legacyOf(payload, pk(PROTO, ']', '(', S('k'), S('k'), 'e', STOP, data, data)), /names 'k' twice/],
      ['no storage data at all', legacyOf(payload), /storage 'k' is used by a tensor but has no data/],
      ['wrong protocol version', pk(PROTO, 0x8a, 10, [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19], STOP, PROTO, 'M', 0xe8, 0x03, STOP), /unsupported legacy protocol version 1000/],
      ['tar archive (PyTorch < 0.4)', (() => { const b = new Uint8Array(1024); b.set(enc.encode('ustar'), 257); return b; })(), /tar archive/],
    ];
    for (const [name, b, re] of cases) expect((expectSafe(b, name) as Error).message, name).toMatch(re);
  });
});
