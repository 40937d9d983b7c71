// One training step of a small Transformer encoder (batch 16, sequence 32, d_model 128, 4 heads,
// feed-forward 512, 2 post-norm layers, dropout 0.1, causal mask, MSE to a random target, Adam lr
// 1e-3). Reports the median ms per step (zero_grad + forward + loss + backward + optimizer step).
// TF.js has no multi-head attention layer in tfjs-core, so there is no tfjs column.
import { measureSteps } from '../lib/timing.mjs';
import { errNote } from '../lib/context.mjs';

export const name = 'transformer';
export const title = 'Transformer encoder training step (16 x 32 tokens, d_model 128, 2 layers)';

const SPEC = { batch: 16, seq: 32, d_model: 128, nhead: 4, dim_feedforward: 512, num_layers: 2 };

function webtorchStep(torch) {
  const { nn } = torch;
  const layer = new nn.TransformerEncoderLayer(SPEC.d_model, SPEC.nhead, { dim_feedforward: SPEC.dim_feedforward, batch_first: true });
  const model = new nn.TransformerEncoder(layer, SPEC.num_layers);
  model.train();
  const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = torch.randn([SPEC.batch, SPEC.seq, SPEC.d_model]);
  const y = torch.randn([SPEC.batch, SPEC.seq, SPEC.d_model]);
  const mask = nn.Transformer.generate_square_subsequent_mask(SPEC.seq);
  return () => torch.scope(() => {
    opt.zero_grad();
    const loss = nn.functional.mse_loss(model.call(x, { mask }), y);
    loss.backward();
    opt.step();
  });
}

export async function run(ctx) {
  const r = ctx.row('transformer step', 'ms', false);
  const steps = ctx.quick ? 5 : 15;
  const torch = ctx.torch;
  if (!torch) r.notes.push(`webtorch: ${ctx.torchNote}`);
  else if (typeof torch.nn?.TransformerEncoder !== 'function') r.notes.push('webtorch: not implemented yet: nn.TransformerEncoder');
  else {
    try {
      const m = measureSteps(webtorchStep(torch), { steps, budgetMs: 25000 });
      r.webtorch = m.median * 1e3; r.extra.webtorch_best = m.best * 1e3;
    } catch (e) { r.notes.push(errNote('webtorch', e)); }
  }
  const p = ctx.runPython({ workload: 'transformer', ...SPEC, steps });
  if (p.ok) { r.pytorch = p.median * 1e3; r.extra.pytorch_best = p.best * 1e3; } else r.notes.push(p.error);
  r.notes.push('tfjs: no multi-head attention layer');
  return [r];
}
