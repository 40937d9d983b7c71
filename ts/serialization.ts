// torch.save / torch.load in the safetensors format (https://github.com/huggingface/safetensors),
// so state dicts move both ways between webtorch and PyTorch.
//
// Layout: an 8-byte little-endian header length N, N bytes of JSON header (padded with spaces to
// a multiple of 8), then the tensor bytes. Each header entry is
//   "name": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }
// with offsets relative to the start of the data, and "__metadata__" maps strings to strings.
//
// A flat object (or Map) of tensors, such as a model's state_dict(), is stored as plain
// safetensors with its keys as tensor names. Anything else (an optimizer's state_dict: nested
// objects, numbers, strings) is flattened: tensors are stored under their dotted path, and the
// remaining structure goes into __metadata__["webtorch.structure"] as JSON with
// {"__tensor__": name} placeholders. test/python/safetensors_roundtrip.py reads and writes both
// forms with only the Python standard library and torch.
//
// Every length and offset is checked before use: a truncated or corrupt file, a header whose
// offsets lie, or an oversized header is rejected with an Error naming the problem.
import { Tensor } from './tensor.js';
import type { DType, TypedArray } from './dtype.js';
import { needsAsyncRead } from './backend/move.js';
import { readFile, writeFile } from './platform/index.js';
import { isPtCheckpoint, loadPt } from './pt/load.js';
import { savePt } from './pt/save.js';

/** Largest header accepted, as in the reference implementation. */
export const MAX_HEADER_BYTES = 100_000_000;
const STRUCTURE_KEY = 'webtorch.structure';

const WRITE_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', uint8: 'U8', bool: 'BOOL' };
const ITEM: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export type Saveable = Tensor | number | string | boolean | null | undefined | Saveable[] | Map<unknown, Saveable> | { [k: string]: Saveable };

function isTensor(x: unknown): x is Tensor { return x instanceof Tensor; }
function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (!x || typeof x !== 'object') return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** The tensors of `obj` by name, plus the JSON structure when obj is not a flat map of tensors. */
function flatten(obj: unknown): { tensors: [string, Tensor][]; structure: unknown | undefined } {
  if (isTensor(obj)) return { tensors: [['tensor', obj]], structure: { __tensor__: 'tensor' } };
  const entries: [string, unknown][] | null = obj instanceof Map ? [...obj.entries()].map(([k, v]) => [String(k), v])
    : isPlainObject(obj) ? Object.entries(obj) : null;
  if (entries && entries.every(([, v]) => isTensor(v)) && !(obj instanceof Map && [...obj.keys()].some((k) => typeof k !== 'string'))) {
    return { tensors: entries as [string, Tensor][], structure: undefined };
  }
  const tensors: [string, Tensor][] = [];
  const used = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (v: unknown, path: string[]): unknown => {
    if (isTensor(v)) {
      let name = path.join('.') || 'tensor';
      for (let k = 1; used.has(name); k++) name = `${path.join('.')}#${k}`;
      used.add(name);
      tensors.push([name, v]);
      return { __tensor__: name };
    }
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return Number.isFinite(v) ? v : { __float__: String(v) };
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v !== 'object') throw new TypeError(`torch.save: cannot save a value of type ${typeof v} (at '${path.join('.')}')`);
    if (seen.has(v)) throw new TypeError(`torch.save: the object has a cycle at '${path.join('.')}'`);
    seen.add(v);
    let r: unknown;
    if (Array.isArray(v)) r = v.map((e, i) => walk(e, [...path, String(i)]));
    else if (v instanceof Map) r = { __map__: [...v.entries()].map(([k, e]) => [k, walk(e, [...path, String(k)])]) };
    else if (ArrayBuffer.isView(v)) r = Array.from(v as unknown as ArrayLike<number>);
    else if (isPlainObject(v) || typeof (v as object) === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v)) o[k] = walk(e, [...path, k]);
      r = o;
    }
    seen.delete(v);
    return r;
  };
  const structure = walk(obj, []);
  return { tensors, structure };
}

/** Deepest structure accepted (a state dict nests 3-4 levels; a corrupt or hostile one could overflow the stack). */
const MAX_DEPTH = 1000;

function unflatten(structure: unknown, tensors: Map<string, Tensor>): unknown {
  const walk = (v: unknown, depth = 0): unknown => {
    if (depth > MAX_DEPTH && v && typeof v === 'object') throw new Error(`torch.load: the structure nests more than ${MAX_DEPTH} levels deep (corrupt file)`);
    if (Array.isArray(v)) return v.map((e) => walk(e, depth + 1));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.__tensor__ === 'string' && Object.keys(o).length === 1) {
        const t = tensors.get(o.__tensor__);
        if (!t) throw new Error(`torch.load: the structure refers to tensor '${o.__tensor__}', which the file does not contain`);
        return t;
      }
      if (typeof o.__float__ === 'string' && Object.keys(o).length === 1) return Number(o.__float__);
      if (Array.isArray(o.__map__) && Object.keys(o).length === 1) {
        return new Map((o.__map__ as unknown[]).map((kv) => {
          if (!Array.isArray(kv) || kv.length !== 2) throw new Error('torch.load: corrupt structure (a map entry is not a [key, value] pair)');
          return [kv[0], walk(kv[1], depth + 1)];
        }));
      }
      const r: Record<string, unknown> = {};
      // defineProperty: a key '__proto__' stays a key instead of replacing the prototype
      for (const [k, e] of Object.entries(o)) Object.defineProperty(r, k, { value: walk(e, depth + 1), enumerable: true, writable: true, configurable: true });
      return r;
    }
    return v;
  };
  return walk(structure);
}

export interface SaveOptions {
  /** extra string metadata stored in the header's __metadata__ (safetensors only) */
  metadata?: Record<string, string>;
  /** 'safetensors' (the default) or 'pt': PyTorch's zip checkpoint, as torch.save writes it (see ts/pt/save.ts) */
  format?: 'safetensors' | 'pt';
}

/** Encodes tensors (a state dict, or any object holding tensors) as safetensors bytes, or as a PyTorch checkpoint with { format: 'pt' }. */
export function save_bytes(obj: Saveable | object, opts: SaveOptions = {}): Uint8Array {
  if (opts.format === 'pt') return savePt(obj);
  if (opts.format !== undefined && opts.format !== 'safetensors') throw new TypeError(`torch.save: unknown format ${JSON.stringify(opts.format)} (expected 'safetensors' or 'pt')`);
  const { tensors, structure } = flatten(obj);
  for (const [name, t] of tensors) {
    if (needsAsyncRead(t, 'cpu')) throw new Error(`save: tensor '${name}' is on ${t.device.type}, and reading it back is asynchronous: save CPU copies (\`await model.cpu()\` first, or \`await t.cpu()\`)`);
  }
  const metadata: Record<string, string> = { format: 'pt', ...opts.metadata };
  if (structure !== undefined) metadata[STRUCTURE_KEY] = JSON.stringify(structure);
  // widest items first, so that every tensor is aligned to its item size in the file
  const order = tensors.map(([name, t], i) => ({ name, t, i, code: WRITE_DTYPE[t.dtype] }));
  order.sort((a, b) => ITEM[b.code] - ITEM[a.code] || a.i - b.i);
  const datas: TypedArray[] = [];
  const entries: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> = {};
  let off = 0;
  for (const e of order) {
    const d = e.t.dataSync();
    datas.push(d);
    entries[e.name] = { dtype: e.code, shape: [...e.t.shape], data_offsets: [off, off + d.byteLength] };
    off += d.byteLength;
  }
  const header: Record<string, unknown> = { __metadata__: metadata };
  for (const [name] of tensors) header[name] = entries[name];
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + off);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, padded, true);
  dv.setUint32(4, 0, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  json = new Uint8Array(0);
  let p = 8 + padded;
  for (const d of datas) {
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), p);
    p += d.byteLength;
  }
  return out;
}

class SafetensorsError extends Error {
  constructor(msg: string) { super(`torch.load: ${msg}`); this.name = 'SafetensorsError'; }
}

interface Entry { name: string; dtype: string; shape: number[]; begin: number; end: number }

/** Parses and validates the header; returns the entries, metadata and where the data starts. */
export function read_header(bytes: Uint8Array): { entries: Entry[]; metadata: Record<string, string>; dataStart: number } {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('torch.load: expected bytes (a Uint8Array or ArrayBuffer) or a path');
  if (bytes.length < 8) throw new SafetensorsError(`not a safetensors file: ${bytes.length} bytes is too short to hold the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = dv.getUint32(0, true), hi = dv.getUint32(4, true);
  if (hi !== 0 || lo > MAX_HEADER_BYTES) throw new SafetensorsError(`header size ${hi * 2 ** 32 + lo} bytes exceeds the limit of ${MAX_HEADER_BYTES} bytes (corrupt file, or not safetensors)`);
  const n = lo;
  if (8 + n > bytes.length) throw new SafetensorsError(`file is truncated: the header needs ${n} bytes but only ${bytes.length - 8} follow the length`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new SafetensorsError(`the header is not valid UTF-8 JSON (${(e as Error).message}); the file is corrupt or not safetensors`);
  }
  if (!isPlainObject(header)) throw new SafetensorsError('the header is not a JSON object');
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isPlainObject(raw) || Object.values(raw).some((v) => typeof v !== 'string')) throw new SafetensorsError('__metadata__ must map strings to strings');
      metadata = raw as Record<string, string>;
      continue;
    }
    if (!isPlainObject(raw)) throw new SafetensorsError(`header entry '${name}' is not an object`);
    const { dtype, shape, data_offsets } = raw as { dtype: unknown; shape: unknown; data_offsets: unknown };
    if (typeof dtype !== 'string' || !(dtype in ITEM)) throw new SafetensorsError(`tensor '${name}' has unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(ITEM).join(', ')})`);
    if (!Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || s < 0)) throw new SafetensorsError(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(data_offsets) || data_offsets.length !== 2 || data_offsets.some((s) => !Number.isSafeInteger(s) || s < 0) || data_offsets[0] > data_offsets[1]) {
      throw new SafetensorsError(`tensor '${name}' has invalid data_offsets ${JSON.stringify(data_offsets)}`);
    }
    let count = 1;
    for (const s of shape as number[]) count *= s;
    const [begin, end] = data_offsets as number[];
    if (count * ITEM[dtype] !== end - begin) {
      throw new SafetensorsError(`tensor '${name}': shape ${JSON.stringify(shape)} of ${dtype} needs ${count * ITEM[dtype]} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
    }
    if (end > dataLen) throw new SafetensorsError(`file is truncated: tensor '${name}' ends at data byte ${end} but the file holds only ${dataLen} data bytes`);
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  // the tensors must tile the data exactly: no overlaps, no gaps, nothing after the last one
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const e of sorted) {
    if (e.begin !== pos) {
      throw new SafetensorsError(e.begin < pos ? `tensor '${e.name}' overlaps the previous tensor (data_offsets start at ${e.begin}, previous ends at ${pos})` : `data_offsets leave a gap of ${e.begin - pos} bytes before tensor '${e.name}'`);
    }
    pos = e.end;
  }
  if (pos !== dataLen) throw new SafetensorsError(`the header describes ${pos} data bytes but the file holds ${dataLen} (truncated or trailing garbage)`);
  return { entries, metadata, dataStart };
}

function f16ToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

function decodeTensor(bytes: Uint8Array, start: number, e: Entry): Tensor {
  // an aligned copy that the tensor owns (Uint8Array's slice: a Node Buffer's slice is a view)
  const region = Uint8Array.prototype.slice.call(bytes, start + e.begin, start + e.end);
  const n = (e.end - e.begin) / ITEM[e.dtype];
  const buf = region.buffer;
  switch (e.dtype) {
    case 'F32': return Tensor._fromData(new Float32Array(buf), 'float32', e.shape);
    case 'F64': return Tensor._fromData(new Float64Array(buf), 'float64', e.shape);
    case 'I32': return Tensor._fromData(new Int32Array(buf), 'int32', e.shape);
    case 'U8': return Tensor._fromData(region, 'uint8', e.shape);
    case 'BOOL': {
      for (let i = 0; i < n; i++) if (region[i] > 1) region[i] = 1;
      return Tensor._fromData(region, 'bool', e.shape);
    }
    case 'I64': {
      // webtorch has no 64-bit integers: int64 becomes int32 when every value fits
      const w = new Int32Array(buf);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const low = w[2 * i];
        if (w[2 * i + 1] !== low >> 31) {
          const v = BigInt.asIntN(64, (BigInt(w[2 * i + 1]) << 32n) | BigInt(low >>> 0));
          throw new SafetensorsError(`tensor '${e.name}' (I64) holds ${v}, which does not fit in int32 (webtorch stores int64 as int32)`);
        }
        out[i] = low;
      }
      return Tensor._fromData(out, 'int32', e.shape);
    }
    case 'I16': return Tensor._fromData(Int32Array.from(new Int16Array(buf)), 'int32', e.shape);
    case 'I8': return Tensor._fromData(Int32Array.from(new Int8Array(buf)), 'int32', e.shape);
    case 'F16': {
      const h = new Uint16Array(buf), out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = f16ToF32(h[i]);
      return Tensor._fromData(out, 'float32', e.shape);
    }
    case 'BF16': {
      const h = new Uint16Array(buf), out = new Uint32Array(n);
      for (let i = 0; i < n; i++) out[i] = h[i] << 16;
      return Tensor._fromData(new Float32Array(out.buffer), 'float32', e.shape);
    }
  }
  throw new SafetensorsError(`unsupported dtype ${e.dtype}`);
}

/**
 * Decodes a checkpoint: safetensors bytes give a { name: Tensor } object or the saved structure
 * (see save); a PyTorch checkpoint (a zip, or a legacy pickle starting with PROTO and PyTorch's
 * magic number) goes to the restricted loader in ts/pt/load.ts.
 */
export function load_bytes(data: Uint8Array | ArrayBuffer): any {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  if (bytes instanceof Uint8Array && isPtCheckpoint(bytes)) return loadPt(bytes);
  const { entries, metadata, dataStart } = read_header(bytes);
  const tensors = new Map<string, Tensor>();
  for (const e of entries) tensors.set(e.name, decodeTensor(bytes, dataStart, e));
  const structure = metadata[STRUCTURE_KEY];
  if (structure !== undefined) {
    let parsed: unknown;
    try { parsed = JSON.parse(structure); } catch { throw new SafetensorsError(`__metadata__["${STRUCTURE_KEY}"] is not valid JSON`); }
    return unflatten(parsed, tensors);
  }
  return Object.fromEntries(tensors);
}

/** The __metadata__ strings of safetensors bytes. */
export function load_metadata(data: Uint8Array | ArrayBuffer): Record<string, string> {
  return read_header(data instanceof ArrayBuffer ? new Uint8Array(data) : data).metadata;
}

/**
 * torch.save(obj) returns the safetensors bytes; torch.save(obj, path) also writes them to a
 * file (where the runtime has a file system) and resolves to the bytes.
 */
export function save(obj: Saveable | object, opts?: SaveOptions): Uint8Array;
export function save(obj: Saveable | object, path: string, opts?: SaveOptions): Promise<Uint8Array>;
export function save(obj: Saveable | object, path?: string | SaveOptions, opts?: SaveOptions): Uint8Array | Promise<Uint8Array> {
  if (typeof path === 'string') {
    const bytes = save_bytes(obj, opts);
    return writeFile(path, bytes).then(() => bytes);
  }
  return save_bytes(obj, path);
}

/** The error `e` of decoding `path`, its message naming the file: `torch.load: <path>: <problem>`. */
function namingFile(e: unknown, path: string): unknown {
  if (!(e instanceof Error)) return e;
  e.message = e.message.startsWith('torch.load: ') ? `torch.load: ${path}: ${e.message.slice(12)}` : `torch.load: ${path}: ${e.message}`;
  return e;
}

/** torch.load(bytes) decodes at once; torch.load(path) reads the file and resolves to the result. */
export function load(src: Uint8Array | ArrayBuffer, opts?: object): any;
export function load(src: string, opts?: object): Promise<any>;
export function load(src: string | Uint8Array | ArrayBuffer, _opts?: object): any {
  if (typeof src === 'string') {
    return readFile(src).then((b) => {
      try { return load_bytes(b); } catch (e) { throw namingFile(e, src); }
    });
  }
  return load_bytes(src);
}
