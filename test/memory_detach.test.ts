// detach() cuts a tensor from the graph without keeping the tensor it came from alive (its _base
// is null, as in PyTorch). word_language_model carries its hidden state across batches as
// repackage_hidden(h) = h.detach(); when the detached state kept the original, every batch's
// graph stayed reachable from the next (torch.memory().tensors grew by a dozen per step, RSS by
// ~1 MB per step in the bench-sized LSTM).
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { collected } from './helpers/collected.js';

const { nn } = torch;
const F = nn.functional;

describe('detach and memory', () => {
  it('detach() has no _base and keeps the values and storage', () => {
    const a = torch.randn([3], { requires_grad: true }).mul(2);
    const b = a.detach();
    expect(b._base).toBe(null);
    expect(b.requires_grad).toBe(false);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    b.add_(1); // shared storage: the original sees it, as in PyTorch
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(b.narrow(0, 1, 2)._base).toBe(b);
  });

  for (const backward of [true, false]) {
    it(`an LSTM loop carrying detached hidden states keeps its tensors bounded (${backward ? 'with' : 'without'} backward)`, async () => {
      const s = { seq: 6, batch: 3, ntoken: 20, ninp: 5, nhid: 5 };
      const encoder = new nn.Embedding(s.ntoken, s.ninp), rnn = new nn.LSTM(s.ninp, s.nhid, 2, { dropout: 0.2 }), decoder = new nn.Linear(s.nhid, s.ntoken);
      const params = [encoder, rnn, decoder].flatMap((m) => [...m.parameters()]);
      const opt = new torch.optim.SGD(params, { lr: 0.5 });
      const data = torch.randint(0, s.ntoken, [s.seq, s.batch]), targets = torch.randint(0, s.ntoken, [s.seq * s.batch]);
      let hidden: Tensor[] | null = null;
      const counts: number[] = [];
      for (let i = 1; i <= 150; i++) {
        opt.zero_grad();
        const [out, h] = rnn.forward(F.dropout(encoder.forward(data), 0.2), hidden) as [Tensor, Tensor[]];
        hidden = h.map((t) => t.detach());
        const loss = F.cross_entropy(decoder.forward(out).view([-1, s.ntoken]), targets);
        if (backward) { loss.backward(); nn.utils.clip_grad_norm_(params, 0.25); opt.step(); }
        if (i % 50 === 0) { for (let k = 0; k < 4; k++) await collected(); counts.push(torch.memory().tensors); }
      }
      // no growth: the counts move only by the graphs of the last batch or two that the collector
      // has not finalized yet (~40 tensors each here); without the fix they grew by 600 (with
      // backward) or 1850 (without) every 50 steps
      expect(Math.max(...counts) - Math.min(...counts), `live tensors at steps 50, 100, 150: ${counts.join(', ')}`).toBeLessThan(150);
    });
  }
});
