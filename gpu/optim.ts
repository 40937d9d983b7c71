// Runs one fused optimizer kernel (gpu/wgsl/optim.ts) on a webgpu parameter: one dispatch updates
// the parameter and its state buffers in place (the GPU half of ts/optim/fused.ts fusedUpdate).
// As on the CPU, a non-contiguous parameter is updated in a contiguous copy that is written back
// through its view, and a non-contiguous (or differently typed) gradient is read from a copy.
import type { OptimKernels } from '../ts/backend/kernels/optim.js';
import type { Tensor } from '../ts/tensor.js';
import { dispatch, wg, Params } from './runtime.js';
import { contiguous, copyOf, writeInto } from './tensor.js';
import { word } from './wgsl/types.js';
import { OPTIM_KERNELS, optimKey, optimSource, type OptimName } from './wgsl/optim.js';

export const hasGpuKernel = (name: string): name is OptimName => Object.prototype.hasOwnProperty.call(OPTIM_KERNELS, name);

/** fusedUpdate on webgpu: `states` in the kernel's order, null for a state the flags leave unused. */
export function fusedUpdateGpu(name: OptimName, p: Tensor, g: Tensor, states: (Tensor | null)[], scalars: number[], flags: number): void {
  const op = `optim.${name}`;
  word(p.dtype, op);
  const def = OPTIM_KERNELS[name];
  const n = p.numel();
  if (n === 0) return;
  const bound: string[] = [];
  const stateTensors: Tensor[] = [];
  states.forEach((s, k) => {
    if (!s) return;
    if (!s.is_contiguous() || s.dtype !== p.dtype) throw new Error('optim: state buffers must be contiguous and of the parameter dtype');
    bound.push(def.states[k]);
    stateTensors.push(s);
  });
  const pc = contiguous(p);
  // a buffer cannot be bound read-only and read_write in one dispatch: read an aliased gradient from a copy
  const aliased = [pc, ...stateTensors].some((t) => t._gpu() === g._gpu());
  const gc = aliased ? copyOf(g, p.dtype) : contiguous(g, p.dtype);
  try {
    const buffers = [pc._gpu(), gc._gpu(), ...stateTensors.map((s) => s._gpu())];
    if (new Set(buffers).size !== buffers.length) throw new Error(`${op}: the parameter and its optimizer state buffers must not share storage`);
    const params = new Params().i(n, pc._offset, gc._offset, ...stateTensors.map((s) => s._offset)).f32(...def.prep(scalars));
    const W = wg();
    dispatch(optimKey(name, flags, bound, W), () => optimSource(name, flags, bound, W), buffers, params, Math.ceil(n / W));
    if (pc !== p) writeInto(p, pc);
  } finally {
    if (pc !== p) pc.dispose();
    if (gc !== g) gc.dispose();
  }
  p._bumpVersion();
  for (const s of stateTensors) s._bumpVersion();
}

/** The webgpu backend's optim kernels (being moved behind the seam). */
export const optim: OptimKernels = {};
