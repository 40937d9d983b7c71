// The character-level GPT's data and training loop (nanoGPT's prepare.py for shakespeare_char and
// train.py, shortened), written against any `torch` module: the built package in main.mjs, the
// sources in the tests.
import { gpt } from './model.mjs';

/** The characters of `text` (code points), sorted: stoi/itos, encode/decode. */
export class CharVocab {
  constructor(text) {
    this.itos = [...new Set(text)].sort();
    this.stoi = new Map(this.itos.map((c, i) => [c, i]));
  }
  get size() { return this.itos.length; }
  encode(s) {
    return [...s].map((c) => {
      const i = this.stoi.get(c);
      if (i === undefined) throw new RangeError(`CharVocab.encode: character ${JSON.stringify(c)} is not in the vocabulary`);
      return i;
    });
  }
  decode(ids) { return ids.map((i) => this.itos[i]).join(''); }
}

/** The text as ids: the first 90% for training, the last 10% for validation (as prepare.py). */
export function prepare(torch, text) {
  const vocab = new CharVocab(text);
  const ids = Int32Array.from(vocab.encode(text));
  const n = Math.floor(ids.length * 0.9);
  return { vocab, train_data: torch.tensor(ids.subarray(0, n)), val_data: torch.tensor(ids.subarray(n)) };
}

/** batch_size random windows of block_size + 1 characters: inputs x and next-character targets y. */
export function get_batch(torch, data, { batch_size, block_size, device = 'cpu' }) {
  if (data.size(0) <= block_size) throw new RangeError(`get_batch: the text (${data.size(0)} characters) must be longer than block_size (${block_size})`);
  const ix = torch.randint(data.size(0) - block_size, [batch_size]).tolistSync();
  const x = torch.stack(ix.map((i) => data.narrow(0, i, block_size)));
  const y = torch.stack(ix.map((i) => data.narrow(0, i + 1, block_size)));
  return [x.to(device), y.to(device)];
}

/** Defaults: a 0.8M-parameter model that learns words in a few minutes on one CPU core. */
export const DEFAULTS = {
  batch_size: 16, block_size: 64, n_layer: 4, n_head: 4, n_embd: 128, dropout: 0.0, bias: true,
  learning_rate: 1e-3, max_iters: 2000, weight_decay: 1e-1, beta1: 0.9, beta2: 0.99, grad_clip: 1.0,
  eval_interval: 250, eval_iters: 20, log_interval: 10, seed: 1337,
};

/**
 * Trains a GPT on `text` for `max_iters` steps of AdamW (nanoGPT's train.py without the lr
 * schedule and gradient accumulation). `log` receives nanoGPT's lines ("iter 10: loss 3.1234,
 * time 45.67ms" and "step 250: train loss ..., val loss ..."). Each step runs in torch.scope, which
 * releases its GPU buffers on webgpu. Returns the model, vocabulary and the losses of every step.
 */
export async function train(torch, text, opts = {}, { device = 'cpu', log = console.log } = {}) {
  const c = { ...DEFAULTS, ...opts };
  torch.manual_seed(c.seed);
  const { vocab, train_data, val_data } = prepare(torch, text);
  const { GPT } = gpt(torch);
  const model = new GPT({ vocab_size: vocab.size, block_size: c.block_size, n_layer: c.n_layer, n_head: c.n_head, n_embd: c.n_embd, dropout: c.dropout, bias: c.bias }).to(device);
  log(`vocab size ${vocab.size}, number of parameters: ${(model.get_num_params() / 1e6).toFixed(2)}M`);
  const optimizer = model.configure_optimizers(c.weight_decay, c.learning_rate, [c.beta1, c.beta2]);
  const batch = (split) => get_batch(torch, split === 'train' ? train_data : val_data, { batch_size: c.batch_size, block_size: c.block_size, device });

  // the mean loss over eval_iters batches of each split, without dropout or gradients
  async function estimate_loss() {
    const out = {};
    model.eval();
    await torch.no_grad(async () => {
      for (const split of ['train', 'val']) {
        let sum = 0;
        for (let k = 0; k < c.eval_iters; k++) sum += await torch.scope(async () => { const [X, Y] = batch(split); return await model.call(X, Y)[1].item(); });
        out[split] = sum / c.eval_iters;
      }
    });
    model.train();
    return out;
  }

  const losses = [];
  const evals = [];
  let t0 = performance.now();
  for (let iter = 0; iter <= c.max_iters; iter++) {
    if (c.eval_interval > 0 && (iter % c.eval_interval === 0 || iter === c.max_iters)) {
      const l = await estimate_loss();
      evals.push({ iter, ...l });
      log(`step ${iter}: train loss ${l.train.toFixed(4)}, val loss ${l.val.toFixed(4)}`);
    }
    if (iter === c.max_iters) break;
    const lossf = await torch.scope(async () => {
      const [X, Y] = batch('train');
      const [, loss] = model.call(X, Y);
      optimizer.zero_grad({ set_to_none: true });
      loss.backward();
      if (c.grad_clip !== 0.0) torch.nn.utils.clip_grad_norm_(model.parameters(), c.grad_clip);
      optimizer.step();
      return await loss.item();
    });
    losses.push(lossf);
    if (iter % c.log_interval === 0) {
      const t1 = performance.now();
      log(`iter ${iter}: loss ${lossf.toFixed(4)}, time ${((t1 - t0) / (iter === 0 ? 1 : c.log_interval)).toFixed(2)}ms`);
      t0 = t1;
    }
  }
  return { model, vocab, losses, evals, config: c };
}

/**
 * Samples `max_new_tokens` characters after `start` (a string of characters in the vocabulary;
 * empty: the first character of the vocabulary, usually the newline) with temperature and top-k.
 */
export async function sample(torch, model, vocab, { start = '\n', max_new_tokens = 500, temperature = 0.8, top_k = 200, device = 'cpu' } = {}) {
  const start_ids = start === '' ? [0] : vocab.encode(start);
  model.eval();
  return await torch.no_grad(async () => {
    const x = torch.tensor([start_ids], { device });
    const y = await model.generate(x, max_new_tokens, temperature, top_k);
    return vocab.decode(await y.select(0, 0).tolist());
  });
}
