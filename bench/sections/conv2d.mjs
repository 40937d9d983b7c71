// conv2d forward+backward on the seed net's second layer (input [64,20,12,12], 50 filters 5x5, bias:
// im2col) and the current net's (input [64,32,26,26], 64 filters 3x3, bias: Winograd F(2x2, 3x3) on
// wasm). GFLOP/s counts forward + grad input + grad weight = 3 x 2*N*Cout*OH*OW*Cin*KH*KW (bias
// ignored; for Winograd, the flops direct convolution would take: an effective rate).
import { measure } from '../lib/timing.mjs';
import { errNote } from '../lib/context.mjs';
import { useBackend } from '../lib/tfjs.mjs';
import { externalSection } from '../lib/hooks.mjs';

export const name = 'conv2d';
export const title = 'conv2d forward+backward, [64,20,12,12] * [50,20,5,5] and [64,32,26,26] * [64,32,3,3]';

/** [row name, N, Cin, H, W, Cout, K] */
const SHAPES = [['conv2d fwd+bwd', 64, 20, 12, 12, 50, 5], ['conv2d 3x3 fwd+bwd', 64, 32, 26, 26, 64, 3]];

export async function run(ctx) {
  const ext = await externalSection('conv2d.mjs');
  if (ext.fn) return ext.fn(ctx);
  const rows = [];
  for (const shape of SHAPES) rows.push(await one(ctx, ext, ...shape));
  return rows;
}

async function one(ctx, ext, rowName, N, CI, H, W, CO, K) {
  const OH = H - K + 1, OW = W - K + 1, FWD = 2 * N * CO * OH * OW * CI * K * K;
  const samples = ctx.quick ? 3 : 7;
  const gf = (flops, s) => flops / s / 1e9;
  const r = ctx.row(rowName, 'GFLOP/s', true);
  if (ext.note) r.notes.push(ext.note);
  const torch = ctx.torch;
  const F = torch?.nn?.functional;
  if (!torch) r.notes.push(`webtorch: ${ctx.torchNote}`);
  else if (typeof F?.conv2d !== 'function') r.notes.push('webtorch: torch.nn.functional.conv2d not implemented yet');
  else {
    try {
      const x = torch.randn([N, CI, H, W]).requires_grad_(true);
      const w = torch.randn([CO, CI, K, K]).requires_grad_(true);
      const b = torch.randn([CO]).requires_grad_(true);
      const gy = torch.randn([N, CO, OH, OW]);
      const fb = () => torch.scope(() => {
        x.grad = null; w.grad = null; b.grad = null;
        F.conv2d(x, w, b).backward(gy);
      });
      fb();
      if (!w.grad && !x.grad) throw new Error('conv2d backward produced no gradients');
      const m = measure(fb, { samples });
      r.webtorch = gf(3 * FWD, m.best);
      r.extra.webtorch_median = gf(3 * FWD, m.median);
      const f = measure(() => torch.no_grad(() => torch.scope(() => { F.conv2d(x, w, b); })), { samples });
      r.extra.webtorch_forward_gflops = gf(FWD, f.best);
    } catch (e) { r.notes.push(errNote('webtorch', e)); }
  }
  const p = ctx.runPython({ workload: 'conv2d', input: [N, CI, H, W], weight: [CO, CI, K, K], samples });
  if (p.ok) {
    r.pytorch = gf(3 * FWD, p.best);
    r.extra.pytorch_median = gf(3 * FWD, p.median);
    r.extra.pytorch_forward_gflops = gf(FWD, p.forward.best);
  } else r.notes.push(p.error);
  const { tf } = await ctx.loadTf();
  if (tf && await useBackend(tf, 'wasm')) {
    try {
      const x = tf.randomNormal([N, H, W, CI]), w = tf.randomNormal([K, K, CI, CO]), b = tf.randomNormal([CO]);
      const gy = tf.randomNormal([N, OH, OW, CO]);
      const g = tf.grads((x, w, b) => tf.add(tf.conv2d(x, w, 1, 'valid'), b));
      const m = measure(() => tf.tidy(() => { g([x, w, b], gy); }), { samples });
      r.tfjs = gf(3 * FWD, m.best); r.tfjsBackend = 'wasm+shim';
      const f = measure(() => tf.tidy(() => { tf.add(tf.conv2d(x, w, 1, 'valid'), b); }), { samples });
      r.extra.tfjs_forward_gflops = gf(FWD, f.best);
    } catch (e) { r.notes.push(errNote('tfjs', e)); }
  } else r.notes.push('tfjs wasm backend unavailable');
  return r;
}
