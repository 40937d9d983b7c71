// One word-language-model training step, as PyTorch's examples/word_language_model RNNModel with
// its defaults: Embedding(10000, 200) -> dropout .2 -> LSTM(200, 200, 2 layers, dropout .2) ->
// dropout .2 -> Linear(200, 10000), cross_entropy over seq 35 x batch 20 targets, backward,
// clip_grad_norm_(.25), SGD lr 20. Reports the median ms per step.
import { trainStepRow } from '../lib/train_step.mjs';

export const name = 'lstm';
export const title = 'LSTM language-model training step (seq 35, batch 20, hidden 200, 2 layers, vocab 10000)';

export const SPEC = { seq: 35, batch: 20, ntoken: 10000, ninp: 200, nhid: 200, nlayers: 2, dropout: 0.2 };

function need(torch) {
  const nn = torch.nn ?? {};
  return { 'nn.Embedding': nn.Embedding, 'nn.LSTM': nn.LSTM, 'nn.Linear': nn.Linear, 'nn.Dropout': nn.Dropout,
    'F.cross_entropy': nn.functional?.cross_entropy, 'clip_grad_norm_': nn.utils?.clip_grad_norm_, 'optim.SGD': torch.optim?.SGD };
}

export function webtorchStep(torch, s = SPEC) {
  const nn = torch.nn, F = nn.functional;
  const encoder = new nn.Embedding(s.ntoken, s.ninp), drop = new nn.Dropout(s.dropout);
  const rnn = new nn.LSTM(s.ninp, s.nhid, s.nlayers, { dropout: s.dropout });
  const decoder = new nn.Linear(s.nhid, s.ntoken);
  const mods = [encoder, rnn, decoder];
  const params = mods.flatMap((m) => [...m.parameters()]);
  const opt = new torch.optim.SGD(params, { lr: 20 });
  const data = torch.randint(0, s.ntoken, [s.seq, s.batch]);
  const targets = torch.randint(0, s.ntoken, [s.seq * s.batch]);
  return () => torch.scope(() => {
    opt.zero_grad();
    const emb = drop.forward(encoder.forward(data));
    const [out] = rnn.forward(emb);
    const logits = decoder.forward(drop.forward(out)).view([-1, s.ntoken]);
    const loss = F.cross_entropy(logits, targets);
    loss.backward();
    nn.utils.clip_grad_norm_(params, 0.25);
    opt.step();
  });
}

export async function run(ctx) {
  return [trainStepRow(ctx, { label: 'lstm LM step', need, makeStep: webtorchStep, python: { workload: 'lstm_lm', ...SPEC }, tfjs: 'tfjs: not measured (no fused LSTM layer to compare)' })];
}
