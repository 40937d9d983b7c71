// A restricted unpickler for PyTorch checkpoints, in the spirit of torch.load(weights_only=True):
// it reads pickle protocols 0-5 (every opcode that builds plain data), but it never imports or
// calls anything. A GLOBAL resolves only against a fixed allow-list of names, and each allowed
// name has a small data-only meaning here (collections.OrderedDict builds a dict,
// torch._utils._rebuild_tensor_v2 records a tensor's storage and geometry, ...). Any other
// global, the opcodes that instantiate arbitrary classes (INST, OBJ, NEWOBJ of a class not on
// the list), BUILD on anything but an OrderedDict, a Parameter or a legacy tensor, extension
// codes and out-of-band buffers are refused with a `torch.load:` error naming what was refused.
//
// Values are built as an intermediate object graph (Python's types, since a dict's keys or a
// tensor's storage are only known once the pickle is read); ./load.ts turns it into JS values
// and webtorch tensors. Every length is checked against the bytes that remain, memo references
// against the memo, and every opcode either consumes input or pops the stack, so time and memory
// are linear in the size of the pickle.
import { fail } from './errors.js';

// ------------------------------------------------------------------ the object graph
export type PyVal = null | boolean | number | bigint | string | Uint8Array | PyVal[] | PyTuple | PyDict | PySet | PyGlobal | StorageRef | TensorRec;

export class PyTuple { constructor(readonly items: PyVal[]) {} }

/** A dict, OrderedDict or Counter: insertion-ordered, keys compared as Python compares them. */
export class PyDict {
  keys: PyVal[] = [];
  values: PyVal[] = [];
  private index = new Map<unknown, number>();
  constructor(readonly kind: 'dict' | 'OrderedDict' | 'Counter' = 'dict') {}
  set(k: PyVal, v: PyVal): void {
    const h = hashKey(k);
    const i = this.index.get(h);
    if (i !== undefined) { this.values[i] = v; return; }
    this.index.set(h, this.keys.length);
    this.keys.push(k);
    this.values.push(v);
  }
}

export class PySet {
  items: PyVal[] = [];
  private index = new Set<unknown>();
  constructor(readonly frozen: boolean) {}
  add(v: PyVal): void {
    const h = hashKey(v);
    if (this.index.has(h)) return;
    this.index.add(h);
    this.items.push(v);
  }
}

/** Storage element types, as in the safetensors dtype codes. */
export type StorageDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';
export const ITEMSIZE: Record<StorageDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
export const DTYPE_NAME: Record<StorageDType, string> = {
  F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16', I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8', U8: 'uint8', BOOL: 'bool',
};

/** What an allowed global means here. */
export type GlobalKind =
  | { k: 'ordereddict' } | { k: 'counter' } | { k: 'set'; frozen: boolean } | { k: 'bytearray' } | { k: 'codecs_encode' }
  | { k: 'complex' } | { k: 'size' } | { k: 'device' } | { k: 'layout' } | { k: 'parameter' }
  | { k: 'rebuild'; fn: string } | { k: 'unsupported_rebuild'; what: string } | { k: 'from_type_v2' }
  | { k: 'tensor_class'; dtype: StorageDType | null }
  | { k: 'storage'; dtype: StorageDType | null; unsupported?: string }
  | { k: 'dtype'; name: string };

export class PyGlobal { constructor(readonly module: string, readonly name: string, readonly kind: GlobalKind) {} get full(): string { return `${this.module}.${this.name}`; } }

/** A storage named by a persistent id: its key in the file, element type and length. */
export class StorageRef {
  constructor(readonly key: string, readonly dtype: StorageDType, readonly numel: number, readonly location: string,
    /** a legacy storage view: the element offset into the root storage (0 otherwise) */
    readonly viewOffset = 0) {}
}

/** A tensor to build: a view of a storage (null for a legacy tensor class made empty before BUILD). */
export class TensorRec {
  constructor(public storage: StorageRef | null, public offset: number, public size: number[], public stride: number[],
    public requires_grad: boolean, public parameter: boolean, public dtype: StorageDType | null = null) {}
}

// dict keys compare as in Python for the hashable types a checkpoint may use
function hashKey(k: PyVal): unknown {
  if (k === null || typeof k === 'string' || typeof k === 'number') return typeof k === 'number' && Object.is(k, -0) ? 0 : k;
  if (typeof k === 'boolean') return k ? 1 : 0;
  if (typeof k === 'bigint') return Number.isSafeInteger(Number(k)) ? Number(k) : k;
  if (Array.isArray(k)) return fail('a pickled dict or set uses a list as a key (unhashable type: \'list\')');
  if (k instanceof PyDict) return fail('a pickled dict or set uses a dict as a key (unhashable type: \'dict\')');
  if (k instanceof PySet && !k.frozen) return fail('a pickled dict or set uses a set as a key (unhashable type: \'set\')');
  return k; // tuples, bytes, frozensets, globals: by identity
}

// ------------------------------------------------------------------ the allow-list
const STORAGES: Record<string, StorageDType | null> = {
  DoubleStorage: 'F64', FloatStorage: 'F32', HalfStorage: 'F16', BFloat16Storage: 'BF16', LongStorage: 'I64', IntStorage: 'I32',
  ShortStorage: 'I16', CharStorage: 'I8', ByteStorage: 'U8', BoolStorage: 'BOOL', UntypedStorage: 'U8',
  ComplexFloatStorage: null, ComplexDoubleStorage: null, QInt8Storage: null, QUInt8Storage: null, QInt32Storage: null,
  QUInt4x2Storage: null, QUInt2x4Storage: null,
};
const TENSOR_CLASSES: Record<string, StorageDType | null> = {
  DoubleTensor: 'F64', FloatTensor: 'F32', HalfTensor: 'F16', BFloat16Tensor: 'BF16', LongTensor: 'I64', IntTensor: 'I32',
  ShortTensor: 'I16', CharTensor: 'I8', ByteTensor: 'U8', BoolTensor: 'BOOL', Tensor: null,
};
const DTYPES = new Set(['float64', 'float32', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool',
  'complex32', 'complex64', 'complex128', 'double', 'float', 'half', 'long', 'int', 'short', 'uint16', 'uint32', 'uint64',
  'float8_e4m3fn', 'float8_e5m2', 'qint8', 'quint8', 'qint32']);
const REBUILD = new Set(['_rebuild_tensor', '_rebuild_tensor_v2', '_rebuild_tensor_v3', '_rebuild_parameter', '_rebuild_parameter_with_state']);
const UNSUPPORTED_REBUILD: Record<string, string> = {
  _rebuild_sparse_tensor: 'sparse tensors', _rebuild_sparse_csr_tensor: 'sparse tensors', _rebuild_qtensor: 'quantized tensors',
  _rebuild_meta_tensor_no_storage: 'meta tensors', _rebuild_wrapper_subclass: 'tensor subclasses',
  _rebuild_device_tensor_from_numpy: 'tensors stored as numpy arrays', _rebuild_device_tensor_from_cpu_tensor: 'device tensors rebuilt from CPU copies',
};

/** The globals a checkpoint may name, as listed in the README ("Loading PyTorch checkpoints"). */
export const ALLOWED_GLOBALS_SUMMARY = 'collections.OrderedDict, collections.Counter, torch._utils._rebuild_tensor(_v2, _v3), '
  + 'torch._utils._rebuild_parameter(_with_state), torch._tensor._rebuild_from_type_v2, torch.nn.parameter.Parameter, '
  + 'torch.<Type>Storage, torch.<Type>Tensor, torch.Size, torch.device, torch dtypes, builtins.set/frozenset/bytearray, _codecs.encode';

function resolveGlobal(module: string, name: string): PyGlobal {
  // Python 2 names, as pickle's fix_imports maps them, and PyTorch's own module rename
  if (module === '__builtin__') module = 'builtins';
  if (module === 'torch.tensor') module = 'torch._tensor';
  const full = `${module}.${name}`;
  let kind: GlobalKind | null = null;
  if (module === 'collections') kind = name === 'OrderedDict' ? { k: 'ordereddict' } : name === 'Counter' ? { k: 'counter' } : null;
  else if (module === 'builtins') {
    kind = name === 'set' ? { k: 'set', frozen: false } : name === 'frozenset' ? { k: 'set', frozen: true }
      : name === 'bytearray' ? { k: 'bytearray' } : name === 'complex' ? { k: 'complex' } : null;
  } else if (module === '_codecs' && name === 'encode') kind = { k: 'codecs_encode' };
  else if (module === 'torch._utils') {
    if (REBUILD.has(name)) kind = { k: 'rebuild', fn: name };
    else if (name in UNSUPPORTED_REBUILD) kind = { k: 'unsupported_rebuild', what: UNSUPPORTED_REBUILD[name] };
  } else if (module === 'torch._tensor' && name === '_rebuild_from_type_v2') kind = { k: 'from_type_v2' };
  else if (module === 'torch.nn.parameter' && name === 'Parameter') kind = { k: 'parameter' };
  else if (module === 'torch.serialization' && name === '_get_layout') kind = { k: 'layout' };
  else if (module === 'torch' || module === 'torch.cuda' || module === 'torch.storage') {
    if (Object.prototype.hasOwnProperty.call(STORAGES, name) && (module !== 'torch.storage' || name === 'UntypedStorage')) {
      const dt = STORAGES[name];
      kind = dt ? { k: 'storage', dtype: dt } : { k: 'storage', dtype: null, unsupported: name };
    } else if (module !== 'torch.storage') {
      if (Object.prototype.hasOwnProperty.call(TENSOR_CLASSES, name)) kind = { k: 'tensor_class', dtype: TENSOR_CLASSES[name] };
      else if (module === 'torch' && name === 'Size') kind = { k: 'size' };
      else if (module === 'torch' && name === 'device') kind = { k: 'device' };
      else if (module === 'torch' && DTYPES.has(name)) kind = { k: 'dtype', name };
    }
  }
  if (!kind) {
    fail(`the file refers to the global '${full}', which is not on webtorch's allow-list, so it was not loaded or run `
      + `(like torch.load(weights_only=True), webtorch reads only tensors and plain data; allowed: ${ALLOWED_GLOBALS_SUMMARY})`);
  }
  return new PyGlobal(module, name, kind);
}

// ------------------------------------------------------------------ REDUCE / NEWOBJ
const isInt = (v: PyVal): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const seq = (v: PyVal): PyVal[] | null => (Array.isArray(v) ? v : v instanceof PyTuple ? v.items : null);
const article = (s: string): string => (/^[aeiouAEIOU]/.test(s) ? `an ${s}` : `a ${s}`);
const typeName = (v: PyVal): string => (v === null ? 'None' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float')
  : typeof v === 'bigint' ? 'int' : typeof v === 'string' ? 'str' : v instanceof Uint8Array ? 'bytes' : Array.isArray(v) ? 'list'
    : v instanceof PyTuple ? 'tuple' : v instanceof PyDict ? v.kind : v instanceof PySet ? (v.frozen ? 'frozenset' : 'set')
      : v instanceof PyGlobal ? `global ${v.full}` : v instanceof StorageRef ? 'storage' : 'tensor');

export const MAX_DIMS = 64;
function intList(v: PyVal, what: string, fn: string): number[] {
  const s = seq(v);
  if (!s) return fail(`${fn}: ${what} must be a tuple of ints, got ${typeName(v)}`);
  if (s.length > MAX_DIMS) fail(`${fn}: ${what} has ${s.length} dimensions (at most ${MAX_DIMS} are supported)`);
  return s.map((x) => {
    if (typeof x === 'boolean') return x ? 1 : 0;
    if (!isInt(x)) return fail(`${fn}: ${what} must hold ints, got ${typeName(x)}${typeof x === 'bigint' ? ` ${x}` : ''}`);
    return x;
  });
}

function rebuildTensor(fn: string, a: PyVal[]): TensorRec {
  const min = fn === '_rebuild_tensor' ? 4 : fn === '_rebuild_tensor_v3' ? 7 : 6;
  if (a.length < min || a.length > min + 1 + (fn === '_rebuild_tensor' ? -1 : 0)) fail(`${fn} expects ${min} arguments, got ${a.length}`);
  const [storage, offset, size, stride] = a;
  if (!(storage instanceof StorageRef)) return fail(`${fn}: the first argument must be a storage, got ${typeName(storage)}`);
  if (!isInt(offset) || offset < 0) return fail(`${fn}: invalid storage offset ${String(offset)}`);
  const sz = intList(size, 'size', fn), st = intList(stride, 'stride', fn);
  if (sz.length !== st.length) fail(`${fn}: size ${JSON.stringify(sz)} and stride ${JSON.stringify(st)} differ in length`);
  if (sz.some((s) => s < 0)) fail(`${fn}: negative size ${JSON.stringify(sz)}`);
  if (st.some((s) => s < 0)) fail(`${fn}: negative stride ${JSON.stringify(st)} (PyTorch tensors have none)`);
  let rg = false;
  if (fn !== '_rebuild_tensor') {
    if (typeof a[4] !== 'boolean' && a[4] !== 0 && a[4] !== 1) fail(`${fn}: requires_grad must be a bool, got ${typeName(a[4])}`);
    rg = !!a[4];
    if (a[5] !== null && !(a[5] instanceof PyDict)) fail(`${fn}: backward_hooks must be a dict, got ${typeName(a[5])}`);
  }
  if (fn === '_rebuild_tensor_v3') {
    const d = a[6];
    if (!(d instanceof PyGlobal) || d.kind.k !== 'dtype') return fail(`_rebuild_tensor_v3: the dtype argument must be a torch dtype, got ${typeName(d)}`);
    if (d.kind.name !== DTYPE_NAME[storage.dtype]) fail(`_rebuild_tensor_v3: a ${d.kind.name} tensor over a ${DTYPE_NAME[storage.dtype]} storage is not supported`);
  }
  return new TensorRec(storage, offset, sz, st, rg, false);
}

function asParameter(data: PyVal, requiresGrad: PyVal, fn: string): TensorRec {
  if (!(data instanceof TensorRec)) return fail(`${fn}: the data must be a tensor, got ${typeName(data)}`);
  if (requiresGrad !== undefined && typeof requiresGrad !== 'boolean') fail(`${fn}: requires_grad must be a bool, got ${typeName(requiresGrad)}`);
  const t = new TensorRec(data.storage, data.offset, data.size, data.stride, requiresGrad === undefined ? true : requiresGrad, true, data.dtype);
  return t;
}

function latin1(s: string, fn: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) fail(`${fn}: a latin-1 string holds the character U+${c.toString(16)}`);
    b[i] = c;
  }
  return b;
}

function fillDict(d: PyDict, src: PyVal, fn: string): PyDict {
  if (src instanceof PyDict) { src.keys.forEach((k, i) => d.set(k, src.values[i])); return d; }
  const s = seq(src);
  if (!s) return fail(`${fn}: expected a dict or a sequence of pairs, got ${typeName(src)}`);
  for (const kv of s) {
    const p = seq(kv);
    if (!p || p.length !== 2) fail(`${fn}: expected (key, value) pairs`);
    d.set(p![0], p![1]);
  }
  return d;
}

/** Applies an allowed callable to its arguments, as data. */
function call(g: PyVal, args: PyVal, op: string): PyVal {
  if (!(g instanceof PyGlobal)) return fail(`${op} of ${article(typeName(g))}, which is not callable (only allowed globals may be called)`);
  const a = seq(args);
  if (!(args instanceof PyTuple) || !a) return fail(`${op} of ${g.full} with ${typeName(args)} arguments (a tuple is required)`);
  const fn = g.full;
  const k = g.kind;
  switch (k.k) {
    case 'ordereddict': case 'counter': {
      const d = new PyDict(k.k === 'ordereddict' ? 'OrderedDict' : 'Counter');
      if (a.length > 1) fail(`${fn} expects at most 1 argument, got ${a.length}`);
      return a.length ? fillDict(d, a[0], fn) : d;
    }
    case 'set': {
      const s = new PySet(k.frozen);
      if (a.length > 1) fail(`${fn} expects at most 1 argument, got ${a.length}`);
      if (a.length) {
        const items = a[0] instanceof PySet ? a[0].items : seq(a[0]);
        if (!items) fail(`${fn}: expected a sequence, got ${typeName(a[0])}`);
        for (const x of items!) s.add(x);
      }
      return s;
    }
    case 'bytearray': case 'codecs_encode': {
      if (a.length === 0 && k.k === 'bytearray') return new Uint8Array(0);
      if (a.length === 1 && a[0] instanceof Uint8Array) return a[0].slice();
      const [s, enc] = a;
      if (typeof s !== 'string' || (enc !== undefined && typeof enc !== 'string') || a.length > 2) return fail(`${fn}: expected (str, encoding) arguments`);
      const e = (enc ?? 'utf-8').toLowerCase().replace('_', '-');
      if (e === 'latin1' || e === 'latin-1' || e === 'iso-8859-1') return latin1(s, fn);
      if (e === 'utf-8' || e === 'utf8') return new TextEncoder().encode(s);
      return fail(`${fn}: unsupported encoding '${enc}'`);
    }
    case 'complex': return fail('complex numbers are not supported by webtorch (builtins.complex)');
    case 'size': {
      if (a.length > 1) fail(`torch.Size expects at most 1 argument, got ${a.length}`);
      return new PyTuple(a.length ? intList(a[0], 'its argument', 'torch.Size') : []);
    }
    case 'device': {
      const [type, index] = a;
      if (typeof type !== 'string' || a.length > 2 || (index !== undefined && index !== null && !isInt(index))) return fail('torch.device expects (type[, index])');
      return index === undefined || index === null || type.includes(':') ? type : `${type}:${index}`;
    }
    case 'layout': {
      if (a.length !== 1 || typeof a[0] !== 'string') return fail('torch.serialization._get_layout expects a layout name');
      return a[0];
    }
    case 'parameter': {
      if (a.length < 1 || a.length > 2) fail(`torch.nn.Parameter expects (data[, requires_grad]), got ${a.length} arguments`);
      return asParameter(a[0], a[1], 'torch.nn.Parameter');
    }
    case 'rebuild': {
      if (k.fn === '_rebuild_parameter' || k.fn === '_rebuild_parameter_with_state') {
        const n = k.fn === '_rebuild_parameter' ? 3 : 4;
        if (a.length !== n) fail(`${k.fn} expects ${n} arguments, got ${a.length}`);
        if (a[2] !== null && !(a[2] instanceof PyDict)) fail(`${k.fn}: backward_hooks must be a dict, got ${typeName(a[2])}`);
        return asParameter(a[0], a[1], k.fn);
      }
      return rebuildTensor(k.fn, a);
    }
    case 'unsupported_rebuild': return fail(`${fn}: ${k.what} are not supported by webtorch`);
    case 'from_type_v2': {
      // (func, new_type, args, state): a tensor subclass or a tensor with Python attributes
      if (a.length !== 4) fail(`${fn} expects 4 arguments, got ${a.length}`);
      const [f, type, fargs] = a;
      if (!(type instanceof PyGlobal) || (type.kind.k !== 'parameter' && !(type.kind.k === 'tensor_class' && type.name === 'Tensor'))) {
        return fail(`${fn}: only torch.Tensor and torch.nn.Parameter can be rebuilt, got ${typeName(type)}`);
      }
      if (!(f instanceof PyGlobal) || (f.kind.k !== 'rebuild' && f.kind.k !== 'unsupported_rebuild')) return fail(`${fn}: the rebuild function must be one of torch._utils._rebuild_*, got ${typeName(f)}`);
      const r = call(f, fargs, op);
      return type.kind.k === 'parameter' && r instanceof TensorRec && !r.parameter ? asParameter(r, r.requires_grad, fn) : r;
    }
    case 'tensor_class': {
      // legacy: torch.FloatTensor() makes an empty tensor that a BUILD then points at a storage
      if (a.length !== 0) fail(`${fn}: only the legacy empty construction ${fn}() is supported`);
      return new TensorRec(null, 0, [0], [1], false, false, k.dtype);
    }
    case 'storage': return fail(`${fn} can only appear inside a persistent id (storages are not constructed by REDUCE)`);
    case 'dtype': return fail(`${fn} is not callable`);
  }
}

// ------------------------------------------------------------------ the unpickler
export interface PersistentLoad { (pid: PyVal): PyVal }

const OPNAMES: Record<number, string> = {
  0x69: 'INST', 0x6f: 'OBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER', 0x50: 'PERSID',
};

/** Largest Python int accepted (in bytes of two's complement): anything wider is no checkpoint's. */
const MAX_LONG_BYTES = 1024;

/**
 * Runs the pickle that starts at `start` in `buf` (ending no later than `end`) and returns its
 * value and the position after its STOP. `persistentLoad` resolves persistent ids (storages).
 */
export function unpickle(buf: Uint8Array, start: number, end: number, persistentLoad: PersistentLoad | null): { value: PyVal; end: number } {
  let pos = start;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let stack: PyVal[] = [];
  const metastack: PyVal[][] = [];
  const memo = new Map<number, PyVal>();
  const utf8 = new TextDecoder('utf-8');
  const where = () => `at byte ${pos - start} of the pickle`;
  const need = (n: number, what: string): number => {
    if (n > end - pos) fail(`the pickle is truncated: ${what} needs ${n} bytes ${where()}, but only ${end - pos} remain`);
    const p = pos;
    pos += n;
    return p;
  };
  const pop = (): PyVal => {
    if (stack.length === 0) fail(`corrupt pickle: stack underflow ${where()}`);
    return stack.pop() as PyVal;
  };
  const top = (): PyVal => {
    if (stack.length === 0) fail(`corrupt pickle: stack underflow ${where()}`);
    return stack[stack.length - 1];
  };
  const popMark = (): PyVal[] => {
    if (metastack.length === 0) fail(`corrupt pickle: no MARK to pop to ${where()}`);
    const items = stack;
    stack = metastack.pop()!;
    return items;
  };
  const line = (what: string): string => {
    let e = pos;
    while (e < end && buf[e] !== 0x0a) e++;
    if (e >= end) fail(`the pickle is truncated: ${what} has no end of line ${where()}`);
    const s = utf8.decode(buf.subarray(pos, e));
    pos = e + 1;
    return s;
  };
  const str = (n: number, what: string): string => utf8.decode(buf.subarray(need(n, what), pos));
  const bytes = (n: number, what: string): Uint8Array => buf.slice(need(n, what), pos);
  const len8 = (what: string): number => {
    const p = need(8, what);
    const lo = dv.getUint32(p, true), hi = dv.getUint32(p + 4, true);
    if (hi !== 0 || lo > end - pos) fail(`the pickle is truncated: ${what} claims ${hi * 2 ** 32 + lo} bytes ${where()}, but only ${end - pos} remain`);
    return lo;
  };
  const long = (p: number, n: number): number | bigint => {
    if (n === 0) return 0;
    if (n > MAX_LONG_BYTES) fail(`a pickled int of ${n} bytes is too large ${where()}`);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[p + i]);
    if (buf[p + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  };
  const textInt = (s: string, what: string): number | bigint => {
    const t = s.endsWith('L') ? s.slice(0, -1) : s;
    if (!/^[+-]?\d{1,300}$/.test(t)) fail(`corrupt pickle: ${what} '${s.slice(0, 40)}' is not an int ${where()}`);
    const v = BigInt(t);
    return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  };
  const setItem = (d: PyVal, k: PyVal, v: PyVal, op: string): void => {
    if (!(d instanceof PyDict)) fail(`${op} on ${article(typeName(d))} ${where()}: only dicts take items`);
    (d as PyDict).set(k, v);
  };
  const append = (l: PyVal, items: PyVal[], op: string): void => {
    if (!Array.isArray(l)) fail(`${op} to ${article(typeName(l))} ${where()}: only lists can be appended to`);
    for (const x of items) (l as PyVal[]).push(x);
  };

  for (;;) {
    const op = buf[need(1, 'an opcode')];
    switch (op) {
      case 0x80: { // PROTO
        const v = buf[need(1, 'PROTO')];
        if (v > 5) fail(`unsupported pickle protocol ${v} (protocols up to 5 are read)`);
        break;
      }
      case 0x95: len8('FRAME'); break; // FRAME: a size hint; the opcodes follow inline
      case 0x2e: { // STOP
        const value = pop();
        return { value, end: pos };
      }
      case 0x28: metastack.push(stack); stack = []; break; // MARK
      case 0x30: if (stack.length) stack.pop(); else popMark(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x49: { // INT (text): '01'/'00' are True/False in protocol 0
        const s = line('INT');
        stack.push(s === '01' ? true : s === '00' ? false : textInt(s, 'INT'));
        break;
      }
      case 0x4c: stack.push(textInt(line('LONG'), 'LONG')); break; // LONG (text)
      case 0x4a: stack.push(dv.getInt32(need(4, 'BININT'), true)); break;
      case 0x4b: stack.push(buf[need(1, 'BININT1')]); break;
      case 0x4d: stack.push(dv.getUint16(need(2, 'BININT2'), true)); break;
      case 0x8a: { const n = buf[need(1, 'LONG1')]; stack.push(long(need(n, 'LONG1'), n)); break; }
      case 0x8b: { // LONG4
        const n = dv.getInt32(need(4, 'LONG4'), true);
        if (n < 0) fail(`corrupt pickle: LONG4 with negative length ${where()}`);
        if (n > MAX_LONG_BYTES) fail(`a pickled int of ${n} bytes is too large ${where()}`);
        stack.push(long(need(n, 'LONG4'), n));
        break;
      }
      case 0x46: { // FLOAT (text)
        const s = line('FLOAT').trim();
        const v = /^(nan|[+-]?inf)$/i.test(s) ? (s.toLowerCase() === 'nan' ? NaN : s.startsWith('-') ? -Infinity : Infinity) : Number(s);
        if (Number.isNaN(v) && s.toLowerCase() !== 'nan') fail(`corrupt pickle: FLOAT '${s.slice(0, 40)}' is not a number ${where()}`);
        stack.push(v);
        break;
      }
      case 0x47: stack.push(dv.getFloat64(need(8, 'BINFLOAT'), false)); break; // BINFLOAT (big-endian)
      // strings: Python 2 str opcodes decode as UTF-8, as torch.load does by default
      case 0x55: { const n = buf[need(1, 'SHORT_BINSTRING')]; stack.push(str(n, 'SHORT_BINSTRING')); break; }
      case 0x54: { // BINSTRING
        const n = dv.getInt32(need(4, 'BINSTRING'), true);
        if (n < 0) fail(`corrupt pickle: BINSTRING with negative length ${where()}`);
        stack.push(str(n, 'BINSTRING'));
        break;
      }
      case 0x58: stack.push(str(dv.getUint32(need(4, 'BINUNICODE'), true), 'BINUNICODE')); break;
      case 0x8c: { const n = buf[need(1, 'SHORT_BINUNICODE')]; stack.push(str(n, 'SHORT_BINUNICODE')); break; }
      case 0x8d: stack.push(str(len8('BINUNICODE8'), 'BINUNICODE8')); break;
      case 0x53: case 0x56: fail(`protocol 0 text strings (opcode ${op === 0x53 ? 'STRING' : 'UNICODE'}) are not supported ${where()}; torch.save writes binary pickles`); break;
      case 0x43: { const n = buf[need(1, 'SHORT_BINBYTES')]; stack.push(bytes(n, 'SHORT_BINBYTES')); break; }
      case 0x42: stack.push(bytes(dv.getUint32(need(4, 'BINBYTES'), true), 'BINBYTES')); break;
      case 0x8e: stack.push(bytes(len8('BINBYTES8'), 'BINBYTES8')); break;
      case 0x96: stack.push(bytes(len8('BYTEARRAY8'), 'BYTEARRAY8')); break;
      // containers
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: { const items = popMark(); stack.push(items); break; } // LIST (popMark replaces `stack`: take the items first)
      case 0x61: { const v = pop(); append(top(), [v], 'APPEND'); break; }
      case 0x65: { const items = popMark(); append(top(), items, 'APPENDS'); break; }
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x74: { const items = popMark(); stack.push(new PyTuple(items)); break; } // TUPLE
      case 0x85: { const a = pop(); stack.push(new PyTuple([a])); break; }
      case 0x86: { const b = pop(), a = pop(); stack.push(new PyTuple([a, b])); break; }
      case 0x87: { const c = pop(), b = pop(), a = pop(); stack.push(new PyTuple([a, b, c])); break; }
      case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
      case 0x64: { // DICT
        const items = popMark();
        if (items.length % 2) fail(`corrupt pickle: DICT with an odd number of items ${where()}`);
        const d = new PyDict();
        for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
        stack.push(d);
        break;
      }
      case 0x73: { const v = pop(), k = pop(); setItem(top(), k, v, 'SETITEM'); break; }
      case 0x75: { // SETITEMS
        const items = popMark();
        if (items.length % 2) fail(`corrupt pickle: SETITEMS with an odd number of items ${where()}`);
        const d = top();
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i], items[i + 1], 'SETITEMS');
        break;
      }
      case 0x8f: stack.push(new PySet(false)); break; // EMPTY_SET
      case 0x90: { // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof PySet) || s.frozen) fail(`ADDITEMS to ${article(typeName(s))} ${where()}: only sets take items`);
        for (const x of items) (s as PySet).add(x);
        break;
      }
      case 0x91: { const items = popMark(); const s = new PySet(true); for (const x of items) s.add(x); stack.push(s); break; } // FROZENSET
      // the memo
      case 0x67: { // GET (text)
        const i = textInt(line('GET'), 'GET');
        if (typeof i !== 'number' || !memo.has(i)) fail(`corrupt pickle: memo key ${i} is not defined ${where()}`);
        stack.push(memo.get(i as number)!);
        break;
      }
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const i = op === 0x68 ? buf[need(1, 'BINGET')] : dv.getUint32(need(4, 'LONG_BINGET'), true);
        if (!memo.has(i)) fail(`corrupt pickle: memo key ${i} is not defined ${where()}`);
        stack.push(memo.get(i)!);
        break;
      }
      case 0x70: { // PUT (text)
        const i = textInt(line('PUT'), 'PUT');
        if (typeof i !== 'number' || i < 0) fail(`corrupt pickle: invalid memo key ${i} ${where()}`);
        memo.set(i as number, top());
        break;
      }
      case 0x71: memo.set(buf[need(1, 'BINPUT')], top()); break;
      case 0x72: memo.set(dv.getUint32(need(4, 'LONG_BINPUT'), true), top()); break;
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      // globals and calls: data-only meanings from the allow-list
      case 0x63: { const module = line('GLOBAL'); const name = line('GLOBAL'); stack.push(resolveGlobal(module, name)); break; }
      case 0x93: { // STACK_GLOBAL
        const name = pop(), module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail(`STACK_GLOBAL needs two strings ${where()}`);
        stack.push(resolveGlobal(module as string, name as string));
        break;
      }
      case 0x52: { const args = pop(); const f = pop(); stack.push(call(f, args, 'REDUCE')); break; }
      case 0x81: { // NEWOBJ: cls.__new__(cls, *args) for the allowed classes only
        const args = pop(), cls = pop();
        if (!(cls instanceof PyGlobal) || !['parameter', 'ordereddict', 'counter', 'set', 'bytearray', 'size', 'tensor_class'].includes(cls.kind.k)) {
          fail(`NEWOBJ of ${cls instanceof PyGlobal ? cls.full : typeName(cls)} is not allowed ${where()} (only nn.Parameter and the allowed containers can be instantiated)`);
        }
        stack.push(call(cls, args, 'NEWOBJ'));
        break;
      }
      case 0x92: { // NEWOBJ_EX: as NEWOBJ, with no keyword arguments
        const kwargs = pop(), args = pop(), cls = pop();
        if (!(kwargs instanceof PyDict) || kwargs.keys.length) fail(`NEWOBJ_EX with keyword arguments is not allowed ${where()}`);
        if (!(cls instanceof PyGlobal) || !['parameter', 'ordereddict', 'counter', 'set', 'bytearray', 'size', 'tensor_class'].includes(cls.kind.k)) {
          fail(`NEWOBJ_EX of ${cls instanceof PyGlobal ? cls.full : typeName(cls)} is not allowed ${where()}`);
        }
        stack.push(call(cls, args, 'NEWOBJ_EX'));
        break;
      }
      case 0x62: { // BUILD: only OrderedDict (its attributes, e.g. _metadata, are dropped), Parameter and legacy tensors
        const state = pop();
        const inst = top();
        if (inst instanceof PyDict && inst.kind !== 'dict') {
          if (state !== null && !(state instanceof PyDict) && !(state instanceof PyTuple)) fail(`BUILD of an OrderedDict with ${typeName(state)} state ${where()}`);
        } else if (inst instanceof TensorRec && inst.storage === null) {
          const s = seq(state);
          if (!(state instanceof PyTuple) || !s || s.length !== 4) fail(`BUILD of a legacy tensor needs (storage, offset, size, stride) ${where()}`);
          const r = rebuildTensor('_rebuild_tensor', s!);
          if (inst.dtype && r.storage!.dtype !== inst.dtype) fail(`a legacy ${DTYPE_NAME[inst.dtype]} tensor over a ${DTYPE_NAME[r.storage!.dtype]} storage ${where()}`);
          Object.assign(inst, { storage: r.storage, offset: r.offset, size: r.size, stride: r.stride });
        } else if (inst instanceof TensorRec && inst.parameter) {
          // Parameter.__setstate__: (data, requires_grad, hooks) or a dict of attributes
          if (state instanceof PyTuple && state.items.length >= 2 && typeof state.items[1] === 'boolean') inst.requires_grad = state.items[1] as boolean;
        } else {
          fail(`BUILD of ${article(typeName(inst))} is not allowed ${where()} (only OrderedDict, Parameter and legacy tensors can be built)`);
        }
        break;
      }
      case 0x51: { // BINPERSID
        const pid = pop();
        if (!persistentLoad) fail(`a persistent id where none is expected ${where()}`);
        stack.push(persistentLoad!(pid));
        break;
      }
      case 0x69: { // INST: names a class and instantiates it; refused, naming the class
        const module = line('INST'), name = line('INST');
        fail(`opcode INST (instantiate ${module}.${name}) is not allowed ${where()}: it would create an arbitrary Python object`);
        break;
      }
      default:
        if (op in OPNAMES) fail(`opcode ${OPNAMES[op]} is not allowed ${where()} (it would ${op === 0x6f ? 'create an arbitrary Python object' : op === 0x50 ? 'name a text persistent id, which torch.save never writes' : op >= 0x97 ? 'need an out-of-band buffer' : 'look up the copyreg extension registry'})`);
        fail(`corrupt pickle: unknown opcode 0x${op.toString(16).padStart(2, '0')} ${where()}`);
    }
  }
}
