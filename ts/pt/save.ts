// torch.save(obj, path, { format: 'pt' }): PyTorch's zip checkpoint format, as torch.save writes
// it since 1.6, so that torch.load in PyTorch (1.13 included, with weights_only=True) reads it.
//
// The pickle (protocol 2, as PyTorch writes) uses only the opcodes and globals of PyTorch 1.13's
// weights_only unpickler: tensors are torch._utils._rebuild_tensor_v2 over a persistent-id
// storage, nn.Parameters torch._utils._rebuild_parameter, backward hooks an empty
// collections.OrderedDict. One exception: a non-integral JS number is a Python float (BINFLOAT),
// which PyTorch >= 2.0 reads with weights_only=True but 1.13 only with weights_only=False (1.13's
// restricted unpickler has no float opcode); state_dicts of tensors have none.
//
// Tensors that are views of one webtorch tensor (t, t.t(), t[1], ...) are saved over one storage
// with their offsets and strides, so they come back as views of one storage in PyTorch too.
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import { Parameter } from '../nn/parameter.js';
import { writeZip } from './zip.js';
import { needsAsyncRead } from '../backend/move.js';

const STORAGE_TYPE: Record<DType, string> = { float32: 'FloatStorage', float64: 'DoubleStorage', int32: 'IntStorage', uint8: 'ByteStorage', bool: 'BoolStorage' };

class Bytes {
  buf = new Uint8Array(1024);
  n = 0;
  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
  }
  byte(...bs: number[]): void { this.room(bs.length); for (const b of bs) this.buf[this.n++] = b; }
  raw(b: Uint8Array): void { this.room(b.length); this.buf.set(b, this.n); this.n += b.length; }
  u32(v: number): void { this.room(4); new DataView(this.buf.buffer).setUint32(this.n, v, true); this.n += 4; }
  done(): Uint8Array { return this.buf.slice(0, this.n); }
}

interface StorageOut { key: string; type: string; numel: number; data: Uint8Array }

const isPlainObject = (x: unknown): x is Record<string, unknown> => {
  if (!x || typeof x !== 'object') return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
};

/** Encodes `obj` (a state dict, an optimizer state dict, nested containers of tensors and numbers) as a PyTorch zip checkpoint. */
export function savePt(obj: unknown): Uint8Array {
  const out = new Bytes();
  const enc = new TextEncoder();
  const memo = new Map<unknown, number>();
  const storages: StorageOut[] = [];
  const byRoot = new Map<unknown, StorageOut>();

  const put = (key: unknown): void => {
    const i = memo.size;
    memo.set(key, i);
    if (i < 256) out.byte(0x71, i); // BINPUT
    else { out.byte(0x72); out.u32(i); } // LONG_BINPUT
  };
  const get = (key: unknown): boolean => {
    const i = memo.get(key);
    if (i === undefined) return false;
    if (i < 256) out.byte(0x68, i); // BINGET
    else { out.byte(0x6a); out.u32(i); } // LONG_BINGET
    return true;
  };
  const str = (s: string): void => { const b = enc.encode(s); out.byte(0x58); out.u32(b.length); out.raw(b); }; // BINUNICODE
  const global = (module: string, name: string): void => {
    const key = `global:${module}.${name}`;
    if (get(key)) return;
    out.byte(0x63); out.raw(enc.encode(`${module}\n${name}\n`)); // GLOBAL
    put(key);
  };
  const int = (v: number | bigint): void => {
    if (typeof v === 'number' && v >= 0 && v < 256) out.byte(0x4b, v); // BININT1
    else if (typeof v === 'number' && v >= 0 && v < 65536) out.byte(0x4d, v & 0xff, v >> 8); // BININT2
    else if (typeof v === 'number' && v >= -(2 ** 31) && v < 2 ** 31) { out.byte(0x4a); out.u32(v >>> 0); } // BININT
    else {
      // LONG1: little-endian two's complement, as few bytes as keep the sign
      let b = BigInt(v);
      const bytes: number[] = [];
      for (;;) {
        const byte = Number(b & 0xffn);
        bytes.push(byte);
        b >>= 8n;
        if ((b === 0n && !(byte & 0x80)) || (b === -1n && byte & 0x80)) break;
      }
      if (bytes.length > 255) throw new RangeError(`torch.save: the integer ${v} is too large`);
      out.byte(0x8a, bytes.length, ...bytes);
    }
  };
  const float = (v: number): void => { out.byte(0x47); const b = new Uint8Array(8); new DataView(b.buffer).setFloat64(0, v, false); out.raw(b); }; // BINFLOAT
  const tuple = (items: (() => void)[]): void => {
    if (items.length === 0) { out.byte(0x29); return; } // EMPTY_TUPLE
    if (items.length <= 3) { for (const f of items) f(); out.byte([0x85, 0x86, 0x87][items.length - 1]); return; } // TUPLE1..3
    out.byte(0x28); for (const f of items) f(); out.byte(0x74); // MARK ... TUPLE
  };

  /** The storage a tensor is saved over: its base's, when it lies within it, else its own copy. */
  const storageOf = (t: Tensor, path: string): { st: StorageOut; offset: number; stride: number[] } => {
    if (needsAsyncRead(t, 'cpu')) throw new Error(`torch.save: tensor '${path}' is on ${t.device.type}, and reading it back is asynchronous: save CPU copies (\`await model.cpu()\` first, or \`await t.cpu()\`)`);
    const root = t._base ?? t;
    const stride = t.stride();
    let fits = root.is_contiguous() && root.storage_offset() === 0 && root.dtype === t.dtype && stride.every((s) => s >= 0);
    if (fits && t.numel() > 0) {
      let last = t.storage_offset();
      t.shape.forEach((s, d) => { last += (s - 1) * stride[d]; });
      fits = last < root.numel();
    }
    const make = (src: Tensor): StorageOut => {
      const d = src.dataSync();
      const st = { key: String(storages.length), type: STORAGE_TYPE[src.dtype], numel: src.numel(), data: new Uint8Array(d.buffer, d.byteOffset, d.byteLength) };
      storages.push(st);
      return st;
    };
    if (fits) {
      // tensors spanning one whole storage share it (tied weights, detached aliases), as in PyTorch
      const key = root.numel() === root._storage.length ? root._storage : root;
      let st = byRoot.get(key);
      if (!st) { st = make(root); byRoot.set(key, st); }
      return { st, offset: t.storage_offset(), stride };
    }
    const contiguous: number[] = [];
    let acc = 1;
    for (let d = t.ndim - 1; d >= 0; d--) { contiguous[d] = acc; acc *= t.shape[d]; }
    return { st: make(t), offset: 0, stride: contiguous };
  };

  const tensor = (t: Tensor, path: string): void => {
    if (get(t)) return;
    const param = t instanceof Parameter;
    if (param) { global('torch._utils', '_rebuild_parameter'); out.byte(0x28); } // MARK
    const { st, offset, stride } = storageOf(t, path);
    global('torch._utils', '_rebuild_tensor_v2');
    out.byte(0x28); // MARK: the arguments
    tuple([() => str('storage'), () => global('torch', st.type), () => str(st.key), () => str('cpu'), () => int(st.numel)]);
    out.byte(0x51); // BINPERSID
    int(offset);
    tuple(t.shape.map((s) => () => int(s)));
    tuple(stride.map((s) => () => int(s)));
    out.byte(!param && t.requires_grad ? 0x88 : 0x89);
    global('collections', 'OrderedDict'); out.byte(0x29, 0x52); // OrderedDict()
    out.byte(0x74, 0x52); // TUPLE, REDUCE
    if (param) {
      out.byte(t.requires_grad ? 0x88 : 0x89);
      global('collections', 'OrderedDict'); out.byte(0x29, 0x52);
      out.byte(0x74, 0x52);
    }
    put(t);
  };

  const key = (k: unknown, path: string): void => {
    if (Array.isArray(k)) { if (get(k)) return; tuple(k.map((e) => () => key(e, path))); return; }
    value(k, path);
  };

  const value = (v: unknown, path: string, intKeys = false): void => {
    if (v === null || v === undefined) { out.byte(0x4e); return; } // NONE
    if (typeof v === 'boolean') { out.byte(v ? 0x88 : 0x89); return; }
    if (typeof v === 'number') { if (Number.isSafeInteger(v)) int(v); else float(v); return; }
    if (typeof v === 'bigint') { int(v); return; }
    if (typeof v === 'string') { str(v); return; }
    if (v instanceof Tensor) { tensor(v, path); return; }
    if (typeof v !== 'object') throw new TypeError(`torch.save: cannot save a value of type ${typeof v} (at '${path}')`);
    if (get(v)) return;
    const at = (k: unknown) => (path ? `${path}.${String(k)}` : String(k));
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      const items = Array.isArray(v) ? v : Array.from(v as unknown as ArrayLike<number>);
      out.byte(0x5d); put(v); // EMPTY_LIST
      for (let i = 0; i < items.length; i += 1000) {
        out.byte(0x28);
        for (let j = i; j < Math.min(items.length, i + 1000); j++) value(items[j], at(j));
        out.byte(0x65); // APPENDS
      }
      return;
    }
    if (v instanceof Set) throw new TypeError(`torch.save: sets cannot be saved in the 'pt' format (at '${path}'); use an array`);
    const entries: [unknown, unknown][] = v instanceof Map ? [...v.entries()] : Object.entries(v);
    const isOptimizerState = !(v instanceof Map) && 'state' in v && 'param_groups' in v;
    out.byte(0x7d); put(v); // EMPTY_DICT
    for (let i = 0; i < entries.length; i += 1000) {
      out.byte(0x28);
      for (let j = i; j < Math.min(entries.length, i + 1000); j++) {
        const [k, e] = entries[j];
        // an optimizer's state is keyed by parameter index: ints, as PyTorch's load_state_dict expects
        if (intKeys && typeof k === 'string' && /^(0|[1-9]\d{0,14})$/.test(k)) int(Number(k));
        else key(k, path);
        value(e, at(k), isOptimizerState && k === 'state' && isPlainObject(e));
      }
      out.byte(0x75); // SETITEMS
    }
  };

  out.byte(0x80, 2); // PROTO 2
  value(obj, '');
  out.byte(0x2e); // STOP
  const files = [
    { name: 'archive/data.pkl', data: out.done() },
    { name: 'archive/byteorder', data: enc.encode('little') },
    ...storages.map((s) => ({ name: `archive/data/${s.key}`, data: s.data })),
    { name: 'archive/version', data: enc.encode('3\n') },
  ];
  return writeZip(files);
}
