// One argument binder for every Tensor method and torch.* function (issue 17): PyTorch's
// positional order with Python's keyword arguments as one trailing options object. The options
// name arguments by PyTorch's names (ts/ops/signature_table.ts, generated from PyTorch 1.13): a
// name that has a position moves there, keyword-only names stay in a trailing options object,
// and an unknown or duplicated name is PyTorch's TypeError. The ops then see positions only.
import { METHODS, FUNCTIONS } from './signature_table.js';

interface Signature { pos: string[][]; kw: string[] }
const parse = (row: string): Signature => {
  const [p, k] = row.split('*');
  return { pos: p ? p.split(',').filter(Boolean).map((a) => a.split('|')) : [], kw: k ? k.split(',') : [] };
};
let methods: Map<string, string> | undefined;
let functions: Map<string, string> | undefined;
const rows = (s: string): Map<string, string> => new Map(s.split(';').map((r) => [r.split(':')[0], r.split(':')[1] ?? '']));
const cache = new Map<string, Signature | null>();

/** The signature of Tensor method `name` (fn: torch.name), or null where arguments pass unbound (not a PyTorch name). */
function signature(name: string, fn: boolean): Signature | null {
  const key = (fn ? 'torch.' : '') + name;
  let s = cache.get(key);
  if (s === undefined) {
    methods ??= rows(METHODS);
    functions ??= rows(FUNCTIONS);
    const own = fn ? functions.get(name) : undefined;
    const m = methods.get(name) ?? (name.endsWith('_') ? methods.get(name.slice(0, -1)) : undefined);
    // a torch function without a row of its own is `input` and then its method's arguments
    const row = !fn ? m : own ?? (m === undefined ? undefined : `input${m && m[0] !== '*' ? ',' : ''}${m}`);
    s = row === undefined || row === '-' ? null : parse(row);
    cache.set(key, s);
  }
  return s;
}

const places = (sig: Signature, k: string): number[] => sig.pos.flatMap((alts, i) => (alts.includes(k) ? [i] : []));
/** A plain object literal (a torch.device is an instance of its own class, so never options). */
const isOptions = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/**
 * `args` (positional..., options?) of `name` as positions: each named argument moved to its
 * place, keyword-only ones left in a trailing options object.
 */
export function bind(name: string, args: unknown[], fn = false): unknown[] {
  const last = args[args.length - 1];
  if (!args.length || !isOptions(last)) return args;
  const sig = signature(name, fn);
  if (!sig) return args;
  const out = args.slice(0, -1);
  const rest: Record<string, unknown> = {};
  let hasRest = false;
  // names with one place first; a name that overloads put in several places (arange's end,
  // var's unbiased) then takes the first of them still free
  const keys = Object.keys(last).sort((a, b) => places(sig, a).length - places(sig, b).length);
  for (const k of keys) {
    const v = last[k];
    const at = places(sig, k);
    if (at.length) {
      const i = at.find((j) => out[j] === undefined) ?? at[0];
      if (out[i] !== undefined) throw new TypeError(`${name}() got multiple values for argument '${k}'`);
      if (v !== undefined) { while (out.length < i) out.push(undefined); out[i] = v; }
    } else if (sig.kw.includes(k)) {
      rest[k] = v;
      hasRest = true;
    } else {
      throw new TypeError(`${name}() got an unexpected keyword argument '${k}'`);
    }
  }
  return hasRest ? [...out, rest] : out;
}

/** torch.* functions `fns`, named in order by `names` (PyTorch's, comma-separated), taking their arguments by name too. */
export function bound<const T extends readonly ((...a: any[]) => unknown)[]>(names: string, fns: T): T {
  const keys = names.split(',');
  return fns.map((f, i) => (...a: unknown[]) => f(...bind(keys[i], a, true))) as unknown as T;
}
