// Shape arithmetic: sizes, strides, dim wrapping and broadcasting, with PyTorch's error wording.

export type Shape = readonly number[];

export const numel = (s: Shape): number => { let n = 1; for (const d of s) n *= d; return n; };

export function contiguousStrides(s: Shape): number[] {
  const st = new Array<number>(s.length);
  let acc = 1;
  for (let i = s.length - 1; i >= 0; i--) { st[i] = acc; acc *= Math.max(s[i], 1); }
  return st;
}

export const shapeStr = (s: Shape): string => `[${s.join(', ')}]`;
export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Wraps a possibly negative dim, as PyTorch does. */
export function wrapDim(dim: number, ndim: number, op = ''): number {
  const lo = -Math.max(ndim, 1), hi = Math.max(ndim, 1) - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new RangeError(`${op ? op + ': ' : ''}Dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = nd - s.length + i, v = s[i];
      if (out[j] === 1) out[j] = v;
      else if (v !== 1 && v !== out[j]) {
        throw new RangeError(`${op}: The size of tensor a (${out[j]}) must match the size of tensor b (${v}) at non-singleton dimension ${i}` +
          ` (shapes ${shapes.map(shapeStr).join(' and ')})`);
      }
    }
  }
  return out;
}

/** Parses PyTorch's `*size` varargs: f(2, 3), f([2, 3]) */
export function sizeArgs(args: unknown[], op: string): number[] {
  const a = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  const s = (a as unknown[]).map((v) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${op}: size must be a list of integers, got ${JSON.stringify(args)}`);
    if (v < 0) throw new RangeError(`${op}: Trying to create tensor with negative dimension ${v}: ${shapeStr(a as number[])}`);
    return v;
  });
  return s;
}

/**
 * Runs `fn` as op `op`: an Error thrown by the ops it is built from (a shape or dtype check of an
 * inner mm, sub, reshape...) gets `op: ` in front unless it names op already, so a user learns
 * which call failed.
 */
export function named<T>(op: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && !e.message.includes(op)) e.message = `${op}: ${e.message}`;
    throw e;
  }
}

/** A positional argument that may instead arrive inside a trailing options object (Python kwargs). */
export function kwarg<T>(v: unknown, key: string, def: T): T {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !('_bytes' in (v as object))) {
    const o = v as Record<string, unknown>;
    return (key in o && o[key] !== undefined ? o[key] : def) as T;
  }
  return (v === undefined ? def : v) as T;
}

export function normalizeDims(dim: number | readonly number[] | null | undefined, ndim: number, op: string): number[] {
  if (dim === null || dim === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const ds = (typeof dim === 'number' ? [dim] : [...dim]).map((d) => wrapDim(d, ndim, op));
  if (new Set(ds).size !== ds.length) throw new RangeError(`${op}: dim ${ds.find((d, i) => ds.indexOf(d) !== i)} appears multiple times in the list of dims`);
  return ds.sort((a, b) => a - b);
}
