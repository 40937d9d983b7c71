// The webgpu backend's fused optimizer update: one WGSL kernel (gpu/wgsl/optim.ts, generated from
// ts/optim/optim_table.ts) updates the parameter and its state buffers in place in one dispatch.
// As on the CPU, a non-contiguous parameter is updated in a contiguous copy that is written back
// through its view, and a non-contiguous (or differently typed) gradient is read from a copy.
import type { OptimKernels } from '../ts/backend/kernels/optim.js';
import { viewOf, type View } from '../ts/backend/view.js';
import { numel } from '../ts/shape.js';
import { dispatch, wg, Params } from './runtime.js';
import { word } from './wgsl/types.js';
import { bufferOf, contiguousView, copyStorage, done, memory } from './memory.js';
import { optimKey, optimSource } from './wgsl/optim.js';

export const optim: OptimKernels = {
  optimStep(name, p, g, states, scalars, flags) {
    const op = `optim.${name}`;
    word(p.dtype, op);
    const n = numel(p.shape);
    if (n === 0) return;
    const bound = states.filter((s): s is View => s !== null);
    const pc = contiguousView(p);
    // a buffer cannot be bound read-only and read_write in one dispatch: read an aliased gradient from a copy
    const gb = bufferOf(g);
    const aliased = [pc, ...bound].some((v) => bufferOf(v) === gb);
    const gc = aliased ? viewOf(copyStorage(g, p.dtype), g.shape) : contiguousView(g, p.dtype);
    try {
      const buffers = [bufferOf(pc), bufferOf(gc), ...bound.map(bufferOf)];
      if (new Set(buffers).size !== buffers.length) throw new Error(`${op}: the parameter and its optimizer state buffers must not share storage`);
      const params = new Params().i(n, pc._offset, gc._offset, ...bound.map((s) => s._offset)).f32(...scalars);
      const W = wg();
      dispatch(optimKey(name, flags, W), () => optimSource(name, flags, W), buffers, params, Math.ceil(n / W));
      if (pc !== p) memory.write(p, pc);
    } finally {
      done(p, pc);
      done(g, gc);
    }
  },
};
