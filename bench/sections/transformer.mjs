// One Transformer encoder-layer training step: nn.TransformerEncoderLayer(d_model 256, 4 heads,
// PyTorch's defaults otherwise: dim_feedforward 2048, dropout .1, relu, post-norm), batch_first,
// on random input [batch 16, seq 128, 256]; mse_loss against a random target, backward, Adam.
// Reports the median ms per step. Skips with a note where webtorch has no TransformerEncoderLayer.
import { measureSteps } from '../lib/timing.mjs';
import { errNote } from '../lib/context.mjs';

export const name = 'transformer';
export const title = 'Transformer encoder layer training step (d_model 256, 4 heads, seq 128, batch 16)';

export const SPEC = { d_model: 256, nhead: 4, seq: 128, batch: 16 };

function missingWebtorch(torch) {
  const nn = torch.nn ?? {};
  const need = { 'nn.TransformerEncoderLayer': nn.TransformerEncoderLayer, 'F.mse_loss': nn.functional?.mse_loss, 'optim.Adam': torch.optim?.Adam };
  return Object.entries(need).filter(([, v]) => typeof v !== 'function').map(([k]) => k);
}

function webtorchStep(torch, s = SPEC) {
  const nn = torch.nn, F = nn.functional;
  const layer = new nn.TransformerEncoderLayer(s.d_model, s.nhead, { batch_first: true });
  const opt = new torch.optim.Adam([...layer.parameters()], { lr: 1e-4 });
  const x = torch.randn([s.batch, s.seq, s.d_model]);
  const y = torch.randn([s.batch, s.seq, s.d_model]);
  return () => torch.scope(() => {
    opt.zero_grad();
    const loss = F.mse_loss(layer.forward(x), y);
    loss.backward();
    opt.step();
  });
}

export async function run(ctx) {
  const torch = ctx.torch;
  const r = ctx.row('transformer encoder layer step', 'ms', false);
  const steps = ctx.quick ? 5 : 15;
  if (!torch) r.notes.push(`webtorch: ${ctx.torchNote}`);
  else {
    const missing = missingWebtorch(torch);
    if (missing.length) r.notes.push(`webtorch: not implemented yet: ${missing.join(', ')}`);
    else {
      try {
        const m = measureSteps(webtorchStep(torch), { steps, budgetMs: 25000 });
        r.webtorch = m.median * 1e3; r.extra.webtorch_best = m.best * 1e3;
      } catch (e) { r.notes.push(errNote('webtorch', e)); }
    }
  }
  const p = ctx.runPython({ workload: 'transformer_encoder', ...SPEC, steps });
  if (p.ok) { r.pytorch = p.median * 1e3; r.extra.pytorch_best = p.best * 1e3; } else r.notes.push(p.error);
  r.notes.push('tfjs: not measured');
  return [r];
}
