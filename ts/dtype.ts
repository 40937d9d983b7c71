// Data types, their storage arrays, and PyTorch's type-promotion rules.

export type DType = 'float32' | 'float64' | 'int32' | 'uint8' | 'bool';
export type DTypeLike = DType | 'int64' | 'float' | 'double' | 'int' | 'long' | 'half' | 'float16';
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const float32: DType = 'float32';
export const float64: DType = 'float64';
export const int32: DType = 'int32';
export const uint8: DType = 'uint8';
export const bool: DType = 'bool';
/** webtorch has no 64-bit integers: int64/long are int32 (see README, "Differences from PyTorch"). */
export const int64: DType = 'int32';
export const long: DType = 'int32';
export const float: DType = 'float32';
export const double: DType = 'float64';
export const int: DType = 'int32';

const ALIASES: Record<string, DType> = {
  float32: 'float32', float: 'float32', float64: 'float64', double: 'float64',
  int32: 'int32', int: 'int32', int64: 'int32', long: 'int32', uint8: 'uint8', bool: 'bool',
};

export function toDType(d: unknown, op = 'dtype'): DType {
  if (typeof d === 'string') {
    const s = d.startsWith('torch.') ? d.slice(6) : d;
    const r = ALIASES[s];
    if (r) return r;
  }
  throw new TypeError(`${op}: unsupported dtype ${String(d)}; webtorch supports float32, float64, int32, uint8 and bool`);
}

export const ITEMSIZE: Record<DType, number> = { float32: 4, float64: 8, int32: 4, uint8: 1, bool: 1 };
/** kernel-name suffix of each dtype */
export const KSUFFIX: Record<DType, string> = { float32: 'f32', float64: 'f64', int32: 'i32', uint8: 'u8', bool: 'bool' };

export const ARRAY_CTOR = {
  float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array, bool: Uint8Array,
} as const;

// Small arrays are carved out of shared 256 KiB slabs: allocating an ArrayBuffer per small tensor
// costs microseconds and GC time. A slab is freed when its last array is collected.
const SLAB_BYTES = 256 * 1024, SLAB_MAX_ITEM = 4096;
let slab = new ArrayBuffer(0), slabUsed = 0;
function fromSlab(d: DType, n: number): TypedArray {
  const bytes = (n * ITEMSIZE[d] + 7) & ~7;
  if (slabUsed + bytes > slab.byteLength) { slab = new ArrayBuffer(SLAB_BYTES); slabUsed = 0; }
  const a = new ARRAY_CTOR[d](slab, slabUsed, n);
  slabUsed += bytes;
  return a;
}

/** A zero-filled typed array of n elements of dtype d (or a view of an existing buffer). */
export function arrayFor(d: DType, n: number | ArrayBuffer): TypedArray {
  if (typeof n === 'number' && n > 0 && n * ITEMSIZE[d] <= SLAB_MAX_ITEM) return fromSlab(d, n);
  switch (d) {
    case 'float32': return typeof n === 'number' ? new Float32Array(n) : new Float32Array(n);
    case 'float64': return typeof n === 'number' ? new Float64Array(n) : new Float64Array(n);
    case 'int32': return typeof n === 'number' ? new Int32Array(n) : new Int32Array(n);
    default: return typeof n === 'number' ? new Uint8Array(n) : new Uint8Array(n);
  }
}

export const isFloating = (d: DType): boolean => d === 'float32' || d === 'float64';
export const isIntegral = (d: DType, includeBool = false): boolean => d === 'int32' || d === 'uint8' || (includeBool && d === 'bool');

/** category: 0 bool, 1 integer, 2 floating */
/** PyTorch's C++ name of a dtype, as its "not implemented for" errors print it. */
const CNAME: Record<DType, string> = { float32: 'Float', float64: 'Double', int32: 'Int', uint8: 'Byte', bool: 'Bool' };
/**
 * Throws PyTorch's error for a floating-point-only kernel given an integer or bool tensor:
 * `op: "kernel" not implemented for 'Int'` (PyTorch promotes no dtype for these ops).
 */
export function checkFloatKernel(op: string, kernel: string, dtype: DType): void {
  if (!isFloating(dtype)) throw new TypeError(`${op}: "${kernel}" not implemented for '${CNAME[dtype]}'`);
}
export function category(d: DType): number { return d === 'bool' ? 0 : isFloating(d) ? 2 : 1; }

const ORDER: DType[] = ['bool', 'uint8', 'int32', 'float32', 'float64'];
/** torch.promote_types */
export function promoteTypes(a: DType, b: DType): DType {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

let defaultDtype: DType = 'float32';
export function get_default_dtype(): DType { return defaultDtype; }
export function set_default_dtype(d: DTypeLike): void {
  const t = toDType(d, 'set_default_dtype');
  if (!isFloating(t)) throw new TypeError(`set_default_dtype: only floating-point types are supported as the default type, got ${t}`);
  defaultDtype = t;
}

/** dtype of a JS scalar as PyTorch infers it for a Python scalar */
export function scalarDType(v: number | boolean): DType {
  if (typeof v === 'boolean') return 'bool';
  return Number.isInteger(v) ? 'int32' : defaultDtype;
}

function combineCategories(higher: DType | null, lower: DType | null): DType | null {
  if (higher === null) return lower;
  if (lower === null || isFloating(higher)) return higher;
  if (higher === 'bool' || isFloating(lower)) return promoteTypes(higher, lower);
  return higher;
}

/**
 * torch.result_type over operands. rank: 2 = dimensioned tensor, 1 = zero-dim tensor, 0 = JS
 * number (a Python scalar). Higher ranks win; a lower one matters only when of a higher category.
 */
export function resultType(operands: { dtype: DType; rank: 0 | 1 | 2 }[]): DType {
  const state: (DType | null)[] = [null, null, null];
  for (const o of operands) {
    const d = o.rank === 0 && isFloating(o.dtype) ? defaultDtype : o.dtype;
    const cur = state[o.rank];
    state[o.rank] = cur === null ? d : promoteTypes(cur, d);
  }
  return combineCategories(state[2], combineCategories(state[1], state[0])) ?? defaultDtype;
}
