// torch.add(a, b) of two 1M-element float32 tensors, new output each call:
// GB/s = 12 bytes/element (two reads, one write) / time (best of samples).
import { measure } from '../lib/timing.mjs';
import { errNote } from '../lib/context.mjs';
import { useBackend } from '../lib/tfjs.mjs';

export const name = 'add';
export const title = 'elementwise add, 1M float32';

export async function run(ctx) {
  const n = 1 << 20;
  const samples = ctx.quick ? 3 : 7;
  const gbs = (s) => (12 * n) / s / 1e9;
  const r = ctx.row('add 1M f32', 'GB/s', true);
  const torch = ctx.torch;
  if (torch) {
    try {
      const a = torch.rand([n]), b = torch.rand([n]);
      const m = measure(() => torch.scope(() => { torch.add(a, b); }), { samples });
      r.webtorch = gbs(m.best); r.extra.webtorch_median = gbs(m.median);
      torch.dispose([a, b]);
    } catch (e) { r.notes.push(errNote('webtorch', e)); }
  } else r.notes.push(`webtorch: ${ctx.torchNote}`);
  const p = ctx.runPython({ workload: 'add', n, samples });
  if (p.ok) { r.pytorch = gbs(p.best); r.extra.pytorch_median = gbs(p.median); } else r.notes.push(p.error);
  const { tf } = await ctx.loadTf();
  if (tf && await useBackend(tf, 'wasm')) {
    const a = tf.randomUniform([n]), b = tf.randomUniform([n]);
    const m = measure(() => tf.tidy(() => { tf.add(a, b); }), { samples });
    r.tfjs = gbs(m.best); r.tfjsBackend = 'wasm';
    tf.dispose([a, b]);
  } else r.notes.push('tfjs wasm backend unavailable');
  return [r];
}
