// Argument helpers for nn.functional: PyTorch's positional order, with Python keyword arguments
// as one trailing options object (which may also arrive in any positional slot).
import { Tensor } from '../../tensor.js';

export function isOpts(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor) && !ArrayBuffer.isView(v);
}

/** Maps (positional..., options?) onto `names`, filling `defaults`. */
export function parseArgs<T extends object>(op: string, args: unknown[], names: (keyof T & string)[], defaults: Partial<T>): T {
  const out: Record<string, unknown> = { ...defaults };
  let pos = args;
  const last = args[args.length - 1];
  if (args.length && isOpts(last)) {
    pos = args.slice(0, -1);
    for (const [k, v] of Object.entries(last)) {
      if (!names.includes(k as keyof T & string)) throw new TypeError(`${op}() got an unexpected keyword argument '${k}'`);
      if (v !== undefined) out[k] = v;
    }
  }
  if (pos.length > names.length) throw new TypeError(`${op}() takes ${names.length} positional arguments but ${pos.length} were given`);
  if (pos !== args) {
    for (const k of Object.keys(last as object)) {
      const i = names.indexOf(k as keyof T & string);
      if (i < pos.length && pos[i] !== undefined) throw new TypeError(`${op}() got multiple values for argument '${k}'`);
    }
  }
  pos.forEach((v, i) => { if (v !== undefined) out[names[i]] = v; });
  return out as T;
}

/**
 * Splits off the required arguments after the input (weight, target, ...), which come positionally
 * or by name in the trailing options; returns their values and the remaining (positional..., options?).
 */
export function leading(op: string, args: unknown[], names: string[]): [unknown[], unknown[]] {
  const last = args[args.length - 1];
  const opts = args.length && isOpts(last) ? { ...last } : null;
  const pos = opts ? args.slice(0, -1) : args;
  const values = names.map((n, i) => {
    if (i < pos.length) {
      if (opts && n in opts) throw new TypeError(`${op}() got multiple values for argument '${n}'`);
      return pos[i];
    }
    const v = opts?.[n];
    if (opts) delete opts[n];
    return v;
  });
  required(op, Object.fromEntries(names.map((n, i) => [n, values[i]])), names);
  const rest = pos.slice(names.length);
  return [values, opts ? [...rest, opts] : rest];
}

/** PyTorch's TypeError when required arguments were given neither positionally nor by name. */
export function required(op: string, a: object, names: string[]): void {
  const missing = names.filter((n) => (a as Record<string, unknown>)[n] === undefined);
  if (missing.length) {
    const list = missing.map((n) => `'${n}'`).join(missing.length === 2 ? ' and ' : ', ');
    throw new TypeError(`${op}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`);
  }
}

/** int or tuple -> n-tuple (PyTorch's _pair / _single) */
export function ntuple(v: unknown, n: number, op: string, what: string): number[] {
  const a = Array.isArray(v) ? v : Array.from({ length: n }, () => v);
  if (a.length === 1 && n > 1) return Array.from({ length: n }, () => a[0]);
  if (a.length !== n || a.some((x) => typeof x !== 'number' || !Number.isInteger(x))) {
    throw new TypeError(`${op}: ${what} must be an int or a tuple of ${n} ints, got ${JSON.stringify(v)}`);
  }
  return a as number[];
}

export const sizeStr = (s: readonly number[]): string => `[${s.join(', ')}]`;
