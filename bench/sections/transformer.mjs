// One Transformer encoder-layer training step: nn.TransformerEncoderLayer(d_model 256, 4 heads,
// PyTorch's defaults otherwise: dim_feedforward 2048, dropout .1, relu, post-norm), batch_first,
// on random input [batch 16, seq 128, 256]; mse_loss against a random target, backward, Adam.
// Reports the median ms per step. Skips with a note where webtorch has no TransformerEncoderLayer.
import { trainStepRow } from '../lib/train_step.mjs';

export const name = 'transformer';
export const title = 'Transformer encoder layer training step (d_model 256, 4 heads, seq 128, batch 16)';

export const SPEC = { d_model: 256, nhead: 4, seq: 128, batch: 16 };

function need(torch) {
  const nn = torch.nn ?? {};
  return { 'nn.TransformerEncoderLayer': nn.TransformerEncoderLayer, 'F.mse_loss': nn.functional?.mse_loss, 'optim.Adam': torch.optim?.Adam };
}

export function webtorchStep(torch, s = SPEC) {
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
  return [trainStepRow(ctx, { label: 'transformer encoder layer step', need, makeStep: webtorchStep, python: { workload: 'transformer_encoder', ...SPEC }, tfjs: 'tfjs: not measured' })];
}
