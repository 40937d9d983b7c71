// One fused optimizer update per parameter: the rule of ts/optim/optim_table.ts named by the
// optimizer runs on the parameter's backend (a SIMD wasm kernel on the CPU, a WGSL kernel on
// webgpu), updating the parameter and its state buffers in place. Optimizers name their state
// buffers, per-step scalars and flags; the table says their order and the flag bits.
// State buffers live on their parameter's device, while the step counters stay 0-dim CPU tensors
// as in PyTorch (unless capturable/fused): the per-step scalars are derived from them on the CPU.
import { Tensor } from '../tensor.js';
import { isFloating } from '../dtype.js';
import { keep } from '../memory.js';
import { full, on } from '../creation.js';
import { backendFor } from '../backend/dispatch.js';
import { OPTIM, flagBit, stateEnabled, type OptimName, type OptimFlag, type OptimState, type OptimScalar, type OptimRule } from './optim_table.js';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Updates `p` and its state buffers in place with rule `name`: `states` by the table's state
 * names (a state the flags leave unused may be omitted), `scalars` every per-step number the rule
 * takes, `flags` the rule's named switches.
 */
export function fusedUpdate<N extends OptimName>(name: N, p: Tensor, g: Tensor,
  states: { readonly [S in OptimState<N>]?: Tensor | null },
  scalars: { readonly [S in OptimScalar<N>]: number },
  flags: { readonly [F in OptimFlag<N>]?: boolean }): void {
  const rule: OptimRule = OPTIM[name];
  if (!isFloating(p.dtype)) throw new TypeError(`optim: parameters must be float32 or float64, got ${p.dtype}`);
  if (!sameShape(g.shape, p.shape)) throw new Error(`optim: gradient shape [${g.shape}] does not match parameter shape [${p.shape}]`);
  let bits = 0;
  for (const [f, set] of Object.entries(flags)) if (set) bits |= flagBit(rule, f);
  const buffers = Object.keys(rule.states).map((s) => {
    if (!stateEnabled(rule, s, bits)) return null;
    const t = (states as Record<string, Tensor | null | undefined>)[s];
    if (!t) throw new Error(`optim: ${name} needs its state buffer '${s}'`);
    if (!t.is_contiguous() || t.dtype !== p.dtype) throw new Error('optim: state buffers must be contiguous and of the parameter dtype');
    return t;
  });
  const values = rule.scalars.map((s) => (scalars as Record<string, number>)[s]);
  backendFor(`optim.${name}`, [p, g, ...buffers]).optimStep(name, p, g, buffers, values, bits);
  p._bumpVersion();
  for (const s of buffers) if (s) s._bumpVersion();
}

/** A new zero-filled (or `fill`-filled) state buffer shaped like `p`, on p's device, kept out of every scope. */
export function stateLike(p: Tensor, fill = 0): Tensor {
  if (!isFloating(p.dtype)) throw new TypeError(`optim: parameters must be float32 or float64, got ${p.dtype}`);
  return keep(full(p.shape, fill, on(p)));
}

/** A 0-dim float32 step counter (PyTorch keeps `state.step` as a tensor). */
export function stepTensor(v = 0): Tensor {
  return keep(Tensor._fromData(new Float32Array([v]), 'float32', []));
}

/** Adds one to a step counter (a 0-dim tensor or a number in `state[key]`) and returns the new count. */
export function incStep(state: Record<string, unknown>, key = 'step'): number {
  const s = state[key];
  if (s instanceof Tensor) {
    const d = s._bytes();
    d[s._offset] += 1;
    s._bumpVersion();
    return d[s._offset];
  }
  const v = (typeof s === 'number' ? s : 0) + 1;
  state[key] = v;
  return v;
}
