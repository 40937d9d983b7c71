// torch.matmul of two random float32 n x n matrices: GFLOP/s = 2 n^3 / time (best of samples).
import { measure } from '../lib/timing.mjs';
import { errNote } from '../lib/context.mjs';
import { useBackend } from '../lib/tfjs.mjs';

export const name = 'matmul';
export const title = 'float32 matmul, n x n @ n x n';

export async function run(ctx) {
  const sizes = ctx.quick ? [256, 1024] : [256, 512, 1024];
  const samples = ctx.quick ? 3 : 7;
  const { tf } = await ctx.loadTf();
  const rows = [];
  for (const n of sizes) {
    const r = ctx.row(`matmul ${n}`, 'GFLOP/s', true);
    const gf = (s) => (2 * n ** 3) / s / 1e9;
    const torch = ctx.torch;
    if (torch) {
      try {
        const a = torch.rand([n, n]), b = torch.rand([n, n]);
        const m = measure(() => torch.scope(() => { torch.matmul(a, b); }), { samples });
        r.webtorch = gf(m.best);
        r.extra.webtorch_median = gf(m.median);
        torch.dispose([a, b]);
      } catch (e) { r.notes.push(errNote('webtorch', e)); }
    } else r.notes.push(`webtorch: ${ctx.torchNote}`);
    const p = ctx.runPython({ workload: 'matmul', n, samples });
    if (p.ok) { r.pytorch = gf(p.best); r.extra.pytorch_median = gf(p.median); } else r.notes.push(p.error);
    if (tf && await useBackend(tf, 'wasm')) {
      const a = tf.randomUniform([n, n]), b = tf.randomUniform([n, n]);
      const m = measure(() => tf.tidy(() => { tf.matMul(a, b); }), { samples });
      r.tfjs = gf(m.best); r.tfjsBackend = 'wasm';
      tf.dispose([a, b]);
    } else r.notes.push('tfjs wasm backend unavailable');
    rows.push(r);
  }
  return rows;
}
