// torch.load of PyTorch checkpoints: the zip format (torch.save since PyTorch 1.6) and the legacy
// format before it (_use_new_zipfile_serialization=False: a run of pickles followed by the raw
// storages). The pickles go through the restricted unpickler in ./pickle.ts; this file reads the
// containers, decodes storages into webtorch's dtypes and turns the pickled object graph into JS
// values, with one webtorch storage per PyTorch storage so that views stay views.
//
// Output: dicts and OrderedDicts become plain objects (keys that are all strings or ints; other
// keys give a Map), lists and tuples arrays, sets Sets, bytes Uint8Arrays, Python ints numbers
// (bigints beyond 2^53), floats numbers, None null, tensors Tensors (nn.Parameter where the file
// has one), torch.Size arrays, dtypes webtorch's dtype names. Storages are widened or narrowed to
// webtorch's dtypes: float16/bfloat16 -> float32, int64/int16/int8 -> int32 (an int64 value that
// does not fit in int32 is an error naming the tensor), float64, int32, uint8 and bool as they are.
import { tensor as makeTensor } from '../creation.js';
import type { Tensor } from '../tensor.js';
import type { DType, TypedArray } from '../dtype.js';
import { Parameter } from '../nn/parameter.js';
import { no_grad } from '../autograd/grad_mode.js';
import { fail, PtLoadError } from './errors.js';
import { isZip, readZip } from './zip.js';
import {
  unpickle, PyDict, PyGlobal, PySet, PyTuple, StorageRef, TensorRec, ITEMSIZE, DTYPE_NAME, type PyVal, type StorageDType,
} from './pickle.js';

/** The legacy format's first pickle: PyTorch's magic number 0x1950a86a20f9469cfc6c as a LONG1. */
const LEGACY_MAGIC = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
const LEGACY_PROTOCOL_VERSION = 1001;
/** Deepest nesting of containers accepted (a state dict nests about 5 deep). */
export const MAX_DEPTH = 1000;
/** Most elements in one tensor (webtorch's kernels index with 32-bit integers). */
export const MAX_NUMEL = 2 ** 31 - 1;

/** A legacy (pre-1.6) torch.save stream: PROTO, then LONG1 of the 10-byte magic number. */
export function isLegacyPickle(b: Uint8Array): boolean {
  if (b.length < 14 || b[0] !== 0x80 || b[1] < 2 || b[1] > 5 || b[2] !== 0x8a || b[3] !== 0x0a) return false;
  return LEGACY_MAGIC.every((m, i) => b[4 + i] === m);
}
/** A tar archive (the format of PyTorch before 0.4). */
export function isTar(b: Uint8Array): boolean {
  return b.length >= 512 && b[257] === 0x75 && b[258] === 0x73 && b[259] === 0x74 && b[260] === 0x61 && b[261] === 0x72;
}
/** Whether `b` is a PyTorch checkpoint (zip, legacy pickle or tar) rather than safetensors. */
export function isPtCheckpoint(b: Uint8Array): boolean { return isZip(b) || isLegacyPickle(b) || isTar(b); }

/** Reads a PyTorch checkpoint from its bytes. Any failure is an Error starting with `torch.load:`. */
export function loadPt(bytes: Uint8Array): unknown {
  try {
    if (isZip(bytes)) return loadZip(bytes);
    if (isLegacyPickle(bytes)) return loadLegacy(bytes);
    if (isTar(bytes)) return fail('this is a tar archive, the checkpoint format of PyTorch before 0.4, which webtorch does not read; re-save it with a newer PyTorch');
    return fail('not a PyTorch checkpoint (neither a zip archive nor a legacy pickle)');
  } catch (e) {
    if (e instanceof PtLoadError) throw e;
    // a bug or an exhausted resource, never a crash: still a torch.load error, with its cause
    throw new PtLoadError(`failed to read the checkpoint (${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)})`);
  }
}

const strOf = (v: PyVal): string | null => (typeof v === 'string' ? v : v instanceof Uint8Array ? String.fromCharCode(...v.subarray(0, 256)) : null);

function storageType(v: PyVal, what: string): StorageDType {
  if (!(v instanceof PyGlobal) || v.kind.k !== 'storage') return fail(`${what}: expected a storage type such as torch.FloatStorage, got ${v instanceof PyGlobal ? v.full : typeof v}`);
  if (!v.kind.dtype) return fail(`${what}: ${v.name} (complex or quantized) tensors are not supported by webtorch`);
  return v.kind.dtype;
}

function storageKey(v: PyVal, what: string): string {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  const s = strOf(v);
  if (s === null) return fail(`${what}: the storage key must be a string, got ${typeof v}`);
  return s;
}

function numelOf(v: PyVal, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return fail(`${what}: invalid storage size ${String(v)}`);
  return v;
}

/** Persistent ids name storages; the same key must always name the same dtype and size. */
class StorageTable {
  refs = new Map<string, StorageRef>();
  get(key: string, dtype: StorageDType, numel: number, location: string): StorageRef {
    const r = this.refs.get(key);
    if (r) {
      if (r.dtype !== dtype || r.numel !== numel) fail(`storage '${key}' is named twice with different types or sizes (${DTYPE_NAME[r.dtype]}[${r.numel}] and ${DTYPE_NAME[dtype]}[${numel}])`);
      return r;
    }
    const n = new StorageRef(key, dtype, numel, location);
    this.refs.set(key, n);
    return n;
  }
}

function pidTuple(pid: PyVal): PyVal[] {
  if (!(pid instanceof PyTuple) || pid.items.length === 0) return fail('a persistent id must be a tuple (\'storage\', ...)');
  const kind = strOf(pid.items[0]);
  if (kind === 'module') return fail('the file pickles a whole nn.Module (torch.save(model)), which needs its Python class; save model.state_dict() instead');
  if (kind !== 'storage') return fail(`only storages may be persistent ids, got '${String(kind).slice(0, 40)}'`);
  return pid.items;
}

// ------------------------------------------------------------------ zip (PyTorch >= 1.6)
function loadZip(bytes: Uint8Array): unknown {
  const z = readZip(bytes);
  const slash = z.first.indexOf('/');
  if (slash <= 0) fail(`the first zip entry '${z.first.slice(0, 80)}' is not in an archive folder, so this zip is not a torch.save checkpoint`);
  const prefix = z.first.slice(0, slash + 1);
  const entry = (name: string) => z.entries.get(prefix + name);
  if (entry('constants.pkl') || entry('code/__torch__.py')) fail('this is a TorchScript archive (torch.jit.save), which webtorch cannot run; save the model\'s state_dict() with torch.save instead');
  const pkl = entry('data.pkl');
  if (!pkl) return fail(`the zip has no '${prefix}data.pkl' entry, so it is not a torch.save checkpoint`);
  let bigEndian = false;
  const bo = entry('byteorder');
  if (bo) {
    const s = new TextDecoder().decode(z.read(bo)).trim();
    if (s !== 'little' && s !== 'big') fail(`'${prefix}byteorder' holds '${s.slice(0, 20)}' (expected 'little' or 'big')`);
    bigEndian = s === 'big';
  }
  const table = new StorageTable();
  const persistentLoad = (pid: PyVal): PyVal => {
    const t = pidTuple(pid);
    if (t.length !== 5) fail(`a storage persistent id has ${t.length} fields (expected 5: 'storage', type, key, location, size)`);
    const dtype = storageType(t[1], 'persistent id');
    return table.get(storageKey(t[2], 'persistent id'), dtype, numelOf(t[4], 'persistent id'), strOf(t[3]) ?? 'cpu');
  };
  const data = z.read(pkl);
  const { value } = unpickle(data, 0, data.length, persistentLoad);
  const raw = (ref: StorageRef): Uint8Array => {
    const e = entry(`data/${ref.key}`);
    if (!e) return fail(`storage '${ref.key}' has no '${prefix}data/${ref.key}' entry in the zip`);
    const nbytes = ref.numel * ITEMSIZE[ref.dtype];
    if (e.usize !== nbytes) fail(`'${prefix}data/${ref.key}' holds ${e.usize} bytes, but the pickle describes ${ref.numel} ${DTYPE_NAME[ref.dtype]} elements (${nbytes} bytes)`);
    return z.read(e);
  };
  return toJS(value, raw, bigEndian);
}

// ------------------------------------------------------------------ legacy (PyTorch < 1.6)
function loadLegacy(bytes: Uint8Array): unknown {
  let pos = 0;
  const next = (pl: ((pid: PyVal) => PyVal) | null): PyVal => {
    const r = unpickle(bytes, pos, bytes.length, pl);
    pos = r.end;
    return r.value;
  };
  const magic = next(null);
  if (magic !== 0x1950a86a20f9469cfc6cn) fail('invalid magic number: this is not a legacy PyTorch checkpoint');
  const version = next(null);
  if (version !== LEGACY_PROTOCOL_VERSION) fail(`unsupported legacy protocol version ${String(version)} (expected ${LEGACY_PROTOCOL_VERSION})`);
  const sysInfo = next(null);
  if (!(sysInfo instanceof PyDict)) fail('the legacy header\'s system information is not a dict');
  // storages are always written little-endian in this format, whatever sys_info says
  const table = new StorageTable();
  const views = new Map<string, StorageRef>();
  const persistentLoad = (pid: PyVal): PyVal => {
    const t = pidTuple(pid);
    if (t.length !== 6) fail(`a legacy storage persistent id has ${t.length} fields (expected 6)`);
    const dtype = storageType(t[1], 'persistent id');
    const root = table.get(storageKey(t[2], 'persistent id'), dtype, numelOf(t[4], 'persistent id'), strOf(t[3]) ?? 'cpu');
    const view = t[5];
    if (view === null) return root;
    // a storage view (PyTorch < 0.4): (view_key, offset, size) into the root storage
    if (!(view instanceof PyTuple) || view.items.length !== 3) return fail('a legacy storage view must be (key, offset, size)');
    const vkey = storageKey(view.items[0], 'storage view');
    const off = numelOf(view.items[1], 'storage view offset'), size = numelOf(view.items[2], 'storage view size');
    if (off + size > root.numel) fail(`storage view '${vkey}' (${size} elements at ${off}) lies outside its ${root.numel}-element storage`);
    const seen = views.get(vkey);
    if (seen) {
      if (seen.key !== root.key || seen.viewOffset !== off) fail(`storage view '${vkey}' is named twice with different roots or offsets`);
      return seen;
    }
    const v = new StorageRef(root.key, dtype, root.numel, root.location, off);
    views.set(vkey, v);
    return v;
  };
  const value = next(persistentLoad);
  const keys = next(null);
  if (!Array.isArray(keys)) fail('the legacy storage key list is not a list');
  const raw = new Map<string, Uint8Array>();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const k of keys as PyVal[]) {
    const key = storageKey(k, 'storage key list');
    const ref = table.refs.get(key);
    if (!ref) fail(`the storage key list names '${key}', which no tensor uses`);
    if (raw.has(key)) fail(`the storage key list names '${key}' twice`);
    if (pos + 8 > bytes.length) fail(`the file is truncated: storage '${key}' has no size field`);
    const lo = dv.getUint32(pos, true), hi = dv.getInt32(pos + 4, true);
    const n = hi * 2 ** 32 + lo;
    if (n !== ref!.numel) fail(`storage '${key}' holds ${n} elements in the file, but the pickle says ${ref!.numel}`);
    const nbytes = n * ITEMSIZE[ref!.dtype];
    if (nbytes > bytes.length - pos - 8) fail(`the file is truncated: storage '${key}' needs ${nbytes} bytes, but only ${bytes.length - pos - 8} remain`);
    raw.set(key, bytes.subarray(pos + 8, pos + 8 + nbytes));
    pos += 8 + nbytes;
  }
  return toJS(value, (ref) => raw.get(ref.key) ?? fail(`storage '${ref.key}' is used by a tensor but has no data in the file`), false);
}

// ------------------------------------------------------------------ storages -> typed arrays
function f16ToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

const WEBTORCH_DTYPE: Record<StorageDType, DType> = {
  F64: 'float64', F32: 'float32', F16: 'float32', BF16: 'float32', I64: 'int32', I32: 'int32', I16: 'int32', I8: 'int32', U8: 'uint8', BOOL: 'bool',
};

/** The elements of a storage as webtorch's dtype; `label` names it in errors. */
function decodeStorage(raw: Uint8Array, code: StorageDType, bigEndian: boolean, label: string): TypedArray {
  const size = ITEMSIZE[code], n = raw.length / size;
  let b = raw;
  if (bigEndian && size > 1) {
    b = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += size) for (let j = 0; j < size; j++) b[i + j] = raw[i + size - 1 - j];
  } else if (b.byteOffset % size !== 0) {
    b = raw.slice();
  }
  const buf = b.buffer, off = b.byteOffset;
  switch (code) {
    case 'F32': return new Float32Array(buf, off, n);
    case 'F64': return new Float64Array(buf, off, n);
    case 'I32': return new Int32Array(buf, off, n);
    case 'U8': return b;
    case 'BOOL': { const o = new Uint8Array(n); for (let i = 0; i < n; i++) o[i] = b[i] ? 1 : 0; return o; }
    case 'I16': return Int32Array.from(new Int16Array(buf, off, n));
    case 'I8': return Int32Array.from(new Int8Array(buf, off, n));
    case 'I64': {
      const w = new Int32Array(buf, off, 2 * n), o = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const low = w[2 * i];
        if (w[2 * i + 1] !== low >> 31) {
          const v = BigInt.asIntN(64, (BigInt(w[2 * i + 1]) << 32n) | BigInt(low >>> 0));
          fail(`${label} holds the int64 value ${v} (element ${i}), which does not fit in int32 (webtorch has no 64-bit integers)`);
        }
        o[i] = low;
      }
      return o;
    }
    case 'F16': { const h = new Uint16Array(buf, off, n), o = new Float32Array(n); for (let i = 0; i < n; i++) o[i] = f16ToF32(h[i]); return o; }
    case 'BF16': { const h = new Uint16Array(buf, off, n), o = new Uint32Array(n); for (let i = 0; i < n; i++) o[i] = h[i] << 16; return new Float32Array(o.buffer); }
  }
}

// ------------------------------------------------------------------ the object graph -> JS
function isContiguous(size: number[], stride: number[]): boolean {
  let expect = 1;
  for (let d = size.length - 1; d >= 0; d--) {
    if (size[d] !== 1 && stride[d] !== expect) return false;
    expect *= size[d];
  }
  return true;
}

function dtypeValue(name: string): string {
  const map: Record<string, string> = {
    float32: 'float32', float: 'float32', float64: 'float64', double: 'float64', float16: 'float32', half: 'float32', bfloat16: 'float32',
    int64: 'int32', long: 'int32', int32: 'int32', int: 'int32', int16: 'int32', short: 'int32', int8: 'int32', uint8: 'uint8', bool: 'bool',
  };
  return map[name] ?? `torch.${name}`;
}

type RawSource = (ref: StorageRef) => Uint8Array;

/**
 * Converts the unpickled graph into JS values without recursion (deep or cyclic structures
 * cannot overflow the stack; shared objects stay shared), building every reachable tensor.
 */
function toJS(root: PyVal, raw: RawSource, bigEndian: boolean): unknown {
  const parents: number[] = [], keys: string[] = [];
  const pathOf = (node: number): string => {
    const parts: string[] = [];
    for (let n = node; n > 0 && parts.length < 64; n = parents[n]) parts.push(keys[n]);
    return parts.reverse().join('.') || '<root>';
  };
  const seen = new Set<object>();
  const out = new Map<object, unknown>();
  const containers: (PyVal[] | PyTuple | PyDict | PySet)[] = [];
  const plain = new Set<PyDict>();
  const tensors: [TensorRec, number][] = [];
  const stack: [PyVal, number, string, number][] = [[root, -1, '', 0]];
  while (stack.length) {
    const [v, parent, key, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    if (depth > MAX_DEPTH) fail(`the object nests more than ${MAX_DEPTH} containers deep (at '${pathOf(parent)}')`);
    seen.add(v);
    const node = parents.push(parent) - 1;
    keys.push(key);
    const push = (items: PyVal[], names: (i: number) => string) => {
      for (let i = items.length - 1; i >= 0; i--) stack.push([items[i], node, names(i), depth + 1]);
    };
    if (v instanceof Uint8Array) out.set(v, v);
    else if (v instanceof TensorRec) tensors.push([v, node]);
    else if (v instanceof StorageRef) {
      // a storage saved on its own: a 1-D tensor over all of it (sharing with the tensors that view it)
      const t = new TensorRec(v, 0, [v.numel - v.viewOffset], [1], false, false);
      tensors.push([t, node]);
      out.set(v, t);
    } else if (v instanceof PyGlobal) {
      if (v.kind.k !== 'dtype') fail(`the object holds the Python object ${v.full} itself (at '${pathOf(node)}'), which webtorch cannot represent`);
      out.set(v, dtypeValue(v.name));
    } else if (Array.isArray(v) || v instanceof PyTuple) {
      const items = Array.isArray(v) ? v : v.items;
      out.set(v, new Array(items.length));
      containers.push(v);
      push(items, String);
    } else if (v instanceof PyDict) {
      const names = new Set<string>();
      let isPlain = true;
      for (const k of v.keys) {
        if (typeof k !== 'string' && !(typeof k === 'number' && Number.isSafeInteger(k))) { isPlain = false; break; }
        names.add(String(k));
      }
      if (isPlain && names.size !== v.keys.length) isPlain = false;
      if (isPlain) plain.add(v);
      out.set(v, isPlain ? {} : new Map());
      containers.push(v);
      push(v.values, (i) => { const k = v.keys[i]; return typeof k === 'string' || typeof k === 'number' ? String(k) : `[${i}]`; });
      if (!isPlain) push(v.keys, (i) => `<key ${i}>`);
    } else if (v instanceof PySet) {
      out.set(v, new Set());
      containers.push(v);
      push(v.items, (i) => `<item ${i}>`);
    }
  }
  buildTensors(tensors, out, raw, bigEndian, pathOf);
  const conv = (v: PyVal): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const r = out.get(v);
    return r instanceof TensorRec ? out.get(r) : r;
  };
  for (const c of containers) {
    if (Array.isArray(c) || c instanceof PyTuple) {
      const items = Array.isArray(c) ? c : c.items;
      const o = out.get(c) as unknown[];
      for (let i = 0; i < items.length; i++) o[i] = conv(items[i]);
    } else if (c instanceof PyDict) {
      const o = out.get(c);
      if (plain.has(c)) {
        for (let i = 0; i < c.keys.length; i++) {
          // defineProperty, so that a key such as '__proto__' is an ordinary own property
          Object.defineProperty(o, String(c.keys[i]), { value: conv(c.values[i]), enumerable: true, writable: true, configurable: true });
        }
      } else {
        const m = o as Map<unknown, unknown>;
        for (let i = 0; i < c.keys.length; i++) m.set(conv(c.keys[i]), conv(c.values[i]));
      }
    } else {
      const s = out.get(c) as Set<unknown>;
      for (const x of c.items) s.add(conv(x));
    }
  }
  return conv(root);
}

/**
 * Builds the tensors. A storage used by one contiguous tensor becomes that tensor; a storage
 * shared by several tensors, or viewed with gaps or strides, becomes one webtorch tensor over the
 * whole storage, and each PyTorch tensor an as_strided view of it, so the views share memory.
 */
function buildTensors(recs: [TensorRec, number][], out: Map<object, unknown>, raw: RawSource, bigEndian: boolean, pathOf: (n: number) => string): void {
  const groups = new Map<string, [TensorRec, number][]>();
  const empty: [TensorRec, number][] = [];
  for (const r of recs) {
    const [t, node] = r;
    const sizeStr = `[${t.size.join(', ')}]`;
    let numel = 1;
    for (const s of t.size) numel *= s;
    if (numel > MAX_NUMEL) fail(`tensor '${pathOf(node)}' of size ${sizeStr} has ${numel} elements, more than webtorch's limit of ${MAX_NUMEL}`);
    if (!t.storage) { empty.push(r); continue; }
    const s = t.storage;
    const off = s.viewOffset + t.offset;
    if (numel > 0) {
      let last = off;
      for (let d = 0; d < t.size.length; d++) last += (t.size[d] - 1) * t.stride[d];
      if (!Number.isSafeInteger(last) || last >= s.numel) {
        fail(`tensor '${pathOf(node)}' (size ${sizeStr}, stride [${t.stride.join(', ')}], offset ${off}) reaches element ${last} of a storage of ${s.numel} elements`);
      }
    }
    const g = groups.get(s.key);
    if (g) g.push(r); else groups.set(s.key, [r]);
  }
  no_grad(() => {
    for (const [t] of empty) out.set(t, makeTensor(new Float32Array(0), { dtype: WEBTORCH_DTYPE[t.dtype ?? 'F32'] }));
    for (const g of groups.values()) {
      const s = g[0][0].storage!;
      const label = `tensor '${pathOf(g[0][1])}'`;
      const arr = decodeStorage(raw(s), s.dtype, bigEndian, label);
      const dtype = WEBTORCH_DTYPE[s.dtype];
      let single: Tensor | null = null;
      if (g.length === 1 && isContiguous(g[0][0].size, g[0][0].stride)) {
        const t = g[0][0];
        const off = s.viewOffset + t.offset;
        let numel = 1;
        for (const d of t.size) numel *= d;
        single = makeTensor(arr.subarray(off, off + numel), { dtype }).view(t.size);
      }
      const base = single ? null : makeTensor(arr, { dtype });
      for (const [t] of g) {
        const x = single ?? base!.as_strided(t.size, t.stride, s.viewOffset + t.offset);
        out.set(t, x);
      }
    }
  });
  // autograd flags after the views exist: parameters wrap their view, others are marked leaves
  for (const [t, node] of recs) {
    let x = out.get(t) as Tensor;
    const floating = x.dtype === 'float32' || x.dtype === 'float64';
    if (t.requires_grad && !floating) fail(`tensor '${pathOf(node)}' requires grad but is ${x.dtype} (only floating-point tensors can)`);
    if (t.parameter) x = new Parameter(x, t.requires_grad);
    else if (t.requires_grad) x.requires_grad_(true);
    out.set(t, x);
  }
}
