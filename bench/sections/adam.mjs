// One Adam step over a single 10M-element float32 parameter. GB/s counts 28 bytes/element:
// read param, grad, exp_avg, exp_avg_sq and write param, exp_avg, exp_avg_sq.
import { measure } from '../lib/timing.mjs';
import { errNote } from '../lib/context.mjs';
import { useBackend } from '../lib/tfjs.mjs';
import { externalSection } from '../lib/hooks.mjs';

export const name = 'adam';
export const title = 'Adam step, 10M float32 params';

export async function run(ctx) {
  const ext = await externalSection('optim.mjs');
  if (ext.fn) return ext.fn(ctx);
  const n = ctx.quick ? 2_000_000 : 10_000_000;
  const samples = ctx.quick ? 3 : 5;
  const gbs = (s) => (28 * n) / s / 1e9;
  const r = ctx.row(`adam ${n / 1e6}M`, 'GB/s', true);
  if (ext.note) r.notes.push(ext.note);
  const torch = ctx.torch;
  if (!torch) r.notes.push(`webtorch: ${ctx.torchNote}`);
  else if (typeof torch.optim?.Adam !== 'function') r.notes.push('webtorch: torch.optim.Adam not implemented yet');
  else {
    try {
      const P = torch.nn?.Parameter;
      const p = P ? new P(torch.randn([n])) : torch.randn([n]).requires_grad_(true);
      p.grad = torch.randn([n]);
      const opt = new torch.optim.Adam([p], { lr: 1e-3 });
      const m = measure(() => torch.scope(() => { opt.step(); }), { samples, sampleMs: 200 });
      r.webtorch = gbs(m.best); r.extra.webtorch_median = gbs(m.median);
    } catch (e) { r.notes.push(errNote('webtorch', e)); }
  }
  const p = ctx.runPython({ workload: 'adam', n, samples });
  if (p.ok) { r.pytorch = gbs(p.best); r.extra.pytorch_median = gbs(p.median); } else r.notes.push(p.error);
  const { tf } = await ctx.loadTf();
  if (tf && await useBackend(tf, 'wasm')) {
    try {
      const v = tf.variable(tf.randomNormal([n]));
      const g = tf.randomNormal([n]);
      const opt = tf.train.adam(1e-3);
      const m = measure(() => opt.applyGradients([{ name: v.name, tensor: g }]), { samples, sampleMs: 200 });
      r.tfjs = gbs(m.best); r.tfjsBackend = 'wasm';
      opt.dispose(); v.dispose(); g.dispose();
    } catch (e) { r.notes.push(errNote('tfjs', e)); }
  } else r.notes.push('tfjs wasm backend unavailable');
  return [r];
}
