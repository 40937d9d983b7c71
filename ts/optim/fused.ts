// Runs one fused optimizer kernel (assembly/optim.ts) over a parameter, its gradient and its state
// buffers: the inputs are copied into wasm scratch, one kernel updates param and state in place,
// and the results are copied back. Contiguous parameters go in chunks that stay in cache (copy in,
// update, copy out while still hot), so wasm memory stays small however large the parameter.
// Non-contiguous parameters are materialized whole and written back through their view.
// Parameters on webgpu run the same update as one WGSL kernel (gpu/optim.ts); their state buffers
// live on webgpu too, while the step counters stay 0-dim CPU tensors as in PyTorch (unless
// capturable/fused): the per-step scalars are derived from them on the CPU every step.
import { Tensor } from '../tensor.js';
import type { DType, TypedArray } from '../dtype.js';
import { isFloating } from '../dtype.js';
import { K, put, take, takeInto, scratch, materialize, writeInto } from '../backend/cpu.js';
import { keep } from '../memory.js';
import { onWebgpu } from '../device.js';
import { full, on } from '../creation.js';
import { fusedUpdateGpu, hasGpuKernel } from '../../gpu/optim.js';

/** Elements per kernel call on the contiguous path: 4 arrays x 64K x 4 B = 1 MiB, L2-sized (measured best of 16K/64K/256K). */
const CHUNK = 65536;

const KERNEL_SUFFIX: Partial<Record<DType, string>> = { float32: 'f32', float64: 'f64' };

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Updates `p` and `states` in place with kernel `<name>_<f32|f64>(p, g, ...states, n, ...scalars, flags)`.
 * A null state passes a null pointer (the kernel's flags say it is unused).
 */
export function fusedUpdate(name: string, p: Tensor, g: Tensor, states: (Tensor | null)[], scalars: number[], flags: number): void {
  const dtype = p.dtype;
  const suffix = KERNEL_SUFFIX[dtype];
  if (!suffix) throw new TypeError(`optim: parameters must be float32 or float64, got ${dtype}`);
  const fn = K[`${name}_${suffix}`];
  if (!fn) throw new Error(`optim: missing kernel ${name}_${suffix}`);
  if (!sameShape(g.shape, p.shape)) throw new Error(`optim: gradient shape [${g.shape}] does not match parameter shape [${p.shape}]`);
  if (onWebgpu(`optim.${name}`, [p, g, ...states])) {
    if (!hasGpuKernel(name)) throw new Error(`optim: no webgpu kernel ${name}`);
    fusedUpdateGpu(name, p, g, states, scalars, flags);
    return;
  }
  const n = p.numel();
  if (n === 0) return;
  const pd = p._bytes();
  const sd = states.map((s) => (s ? s._bytes() : null));
  for (const s of states) if (s && (!s.is_contiguous() || s.dtype !== dtype)) throw new Error('optim: state buffers must be contiguous and of the parameter dtype');
  if (p.is_contiguous() && g.is_contiguous() && g.dtype === dtype) {
    const gd = g._bytes();
    for (let lo = 0; lo < n; lo += CHUNK) {
      const m = Math.min(CHUNK, n - lo);
      scratch(() => {
        const pp = put(pd, p._offset + lo, m);
        const gp = put(gd, g._offset + lo, m);
        const sp = states.map((s, i) => (s ? put(sd[i]!, s._offset + lo, m) : 0));
        fn(pp, gp, ...sp, m, ...scalars, flags);
        takeInto(pp, pd, p._offset + lo, m);
        states.forEach((s, i) => { if (s) takeInto(sp[i], sd[i]!, s._offset + lo, m); });
      });
    }
  } else {
    let out: TypedArray | null = null;
    scratch(() => {
      const pp = materialize(p);
      const gp = materialize(g, dtype);
      const sp = states.map((s, i) => (s ? put(sd[i]!, s._offset, n) : 0));
      fn(pp, gp, ...sp, n, ...scalars, flags);
      out = take(pp, dtype, n);
      states.forEach((s, i) => { if (s) takeInto(sp[i], sd[i]!, s._offset, n); });
    });
    const tmp = Tensor._fromData(out!, dtype, p.shape);
    try { writeInto(p, tmp); } finally { tmp.dispose(); }
  }
  p._bumpVersion();
  for (const s of states) if (s) s._bumpVersion();
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

