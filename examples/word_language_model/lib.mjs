// The body of pytorch/examples word_language_model/main.py and generate.py, line by line, written
// against any `torch` module (the built package in main.mjs and generate.mjs, the sources in
// test/examples_language.test.ts). main.mjs and generate.mjs parse the flags and call these.
import { readFileSync } from 'node:fs';
import { models } from './model.mjs';

/** Python's '{:W.Pf}' and '{:Wd}'. */
const f = (x, width, prec) => x.toFixed(prec).padStart(width);
const d = (x, width) => String(x).padStart(width);

// Starting from sequential data, batchify arranges the dataset into columns.
// For instance, with the alphabet as the sequence and batch size 4, we'd get
// ┌ a g m s ┐
// │ b h n t │
// │ c i o u │
// │ d j p v │
// │ e k q w │
// └ f l r x ┘.
// These columns are treated as independent by the model, which means that the
// dependence of e. g. 'g' on 'f' can not be learned, but allows more efficient
// batch processing.
export function batchify(data, bsz, device = 'cpu') {
  // Work out how cleanly we can divide the dataset into bsz parts.
  const nbatch = Math.floor(data.size(0) / bsz);
  // Trim off any extra elements that wouldn't cleanly fit (remainders).
  data = data.narrow(0, 0, nbatch * bsz);
  // Evenly divide the data across the bsz batches.
  data = data.view(bsz, -1).t().contiguous();
  return data.to(device);
}

/** Wraps hidden states in new Tensors, to detach them from their history. */
export function repackage_hidden(h) {
  return Array.isArray(h) ? h.map(repackage_hidden) : h.detach();
}

// get_batch subdivides the source data into chunks of length bptt.
// If source is equal to the example output of the batchify function, with
// a bptt-limit of 2, we'd get the following two Variables for i = 0:
// ┌ a g m s ┐ ┌ b h n t ┐
// └ b h n t ┘ └ c i o u ┘
// Note that despite the name of the function, the subdivison of data is not
// done along the batch dimension (i.e. dimension 1), since that was handled
// by the batchify function. The chunks are along dimension 0, corresponding
// to the seq_len dimension in the LSTM.
export function get_batch(source, i, bptt) {
  const seq_len = Math.min(bptt, source.size(0) - 1 - i);
  const data = source.narrow(0, i, seq_len);
  const target = source.narrow(0, i + 1, seq_len).reshape(-1);
  return [data, target];
}

/** The model of `args` (the flags of main.py) for a vocabulary of `ntokens` words. */
export function buildModel(torch, args, ntokens) {
  const { RNNModel, TransformerModel } = models(torch);
  if (args.model === 'Transformer') return new TransformerModel(ntokens, args.emsize, args.nhead, args.nhid, args.nlayers, args.dropout);
  return new RNNModel(args.model, ntokens, args.emsize, args.nhid, args.nlayers, args.dropout, args.tied);
}

/** The flags that shape the model, stored in the checkpoint's metadata so generate.mjs can rebuild it. */
const MODEL_FLAGS = ['model', 'emsize', 'nhid', 'nlayers', 'nhead', 'dropout', 'tied'];

/**
 * main.py: trains `args.epochs` epochs on `corpus`, keeps the best model by validation loss in
 * `args.save` (safetensors), anneals the learning rate by 4 when validation loss does not improve,
 * then reloads the best model and evaluates it on the test set. `log` receives main.py's printed
 * lines; `stop.requested` (set by Ctrl-C in main.mjs) ends training early as KeyboardInterrupt does.
 * Returns the losses.
 */
export async function run(torch, args, { corpus, device = 'cpu', log = console.log, stop = { requested: false } }) {
  const { nn } = torch;
  torch.manual_seed(args.seed);

  const eval_batch_size = 10;
  const train_data = batchify(corpus.train, args.batch_size, device);
  const val_data = batchify(corpus.valid, eval_batch_size, device);
  const test_data = batchify(corpus.test, eval_batch_size, device);

  const ntokens = corpus.dictionary.length;
  let model = buildModel(torch, args, ntokens).to(device);

  const criterion = new nn.NLLLoss();
  const optimizer = args.use_optimizer ? new torch.optim.AdamW(model.parameters(), { lr: args.lr }) : null;

  async function evaluate(data_source) {
    // Turn on evaluation mode which disables dropout.
    model.eval();
    let total_loss = 0;
    let hidden = args.model !== 'Transformer' ? model.init_hidden(eval_batch_size) : null;
    await torch.no_grad(async () => {
      for (let i = 0; i < data_source.size(0) - 1; i += args.bptt) {
        const [data, targets] = get_batch(data_source, i, args.bptt);
        let output;
        if (args.model === 'Transformer') {
          output = model.call(data).view(-1, ntokens);
        } else {
          [output, hidden] = model.call(data, hidden);
          hidden = repackage_hidden(hidden);
        }
        total_loss += data.size(0) * (await criterion.call(output, targets).item());
      }
    });
    return total_loss / (data_source.size(0) - 1);
  }

  const trainLosses = [];
  async function train(epoch) {
    // Turn on training mode which enables dropout.
    model.train();
    let total_loss = 0;
    let start_time = performance.now();
    let hidden = args.model !== 'Transformer' ? model.init_hidden(args.batch_size) : null;
    for (let batch = 0, i = 0; i < train_data.size(0) - 1; batch++, i += args.bptt) {
      const [data, targets] = get_batch(train_data, i, args.bptt);
      // Starting each batch, we detach the hidden state from how it was previously produced.
      // If we didn't, the model would try backpropagating all the way to start of the dataset.
      if (optimizer) optimizer.zero_grad();
      else model.zero_grad();
      let output;
      if (args.model === 'Transformer') {
        output = model.call(data).view(-1, ntokens);
      } else {
        hidden = repackage_hidden(hidden);
        [output, hidden] = model.call(data, hidden);
      }
      const loss = criterion.call(output, targets);
      loss.backward();

      // `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
      nn.utils.clip_grad_norm_(model.parameters(), args.clip);
      if (optimizer) {
        optimizer.step();
      } else {
        for (const p of model.parameters()) p.data.add_(p.grad, { alpha: -lr });
      }

      const l = await loss.item();
      trainLosses.push(l);
      total_loss += l;

      if (batch % args.log_interval === 0 && batch > 0) {
        const cur_loss = total_loss / args.log_interval;
        const elapsed = performance.now() - start_time;
        log(`| epoch ${d(epoch, 3)} | ${d(batch, 5)}/${d(Math.floor(train_data.size(0) / args.bptt), 5)} batches | ` +
          `lr ${f(lr, 2, 2)} | ms/batch ${f(elapsed / args.log_interval, 5, 2)} | loss ${f(cur_loss, 5, 2)} | ppl ${f(Math.exp(cur_loss), 8, 2)}`);
        total_loss = 0;
        start_time = performance.now();
      }
      if (args.dry_run || stop.requested) break;
    }
  }

  // Loop over epochs.
  let lr = args.lr;
  let best_val_loss = null;
  const valLosses = [];
  const metadata = Object.fromEntries(MODEL_FLAGS.map((k) => [k, String(args[k])]));

  // At any point you can hit Ctrl + C to break out of training early.
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    const epoch_start_time = performance.now();
    await train(epoch);
    if (stop.requested) {
      log('-'.repeat(89));
      log('Exiting from training early');
      break;
    }
    const val_loss = await evaluate(val_data);
    valLosses.push(val_loss);
    log('-'.repeat(89));
    log(`| end of epoch ${d(epoch, 3)} | time: ${f((performance.now() - epoch_start_time) / 1000, 5, 2)}s | ` +
      `valid loss ${f(val_loss, 5, 2)} | valid ppl ${f(Math.exp(val_loss), 8, 2)}`);
    log('-'.repeat(89));
    // Save the model if the validation loss is the best we've seen so far.
    if (best_val_loss === null || val_loss < best_val_loss) {
      await torch.save(model.state_dict(), args.save, { metadata });
      best_val_loss = val_loss;
    } else {
      // Anneal the learning rate if no improvement has been seen in the validation dataset.
      lr /= 4.0;
    }
  }

  // Load the best saved model.
  if (best_val_loss !== null) {
    model = buildModel(torch, args, ntokens).to(device);
    model.load_state_dict(await torch.load(args.save));
  }

  // Run on test data.
  const test_loss = await evaluate(test_data);
  log('='.repeat(89));
  log(`| End of training | test loss ${f(test_loss, 5, 2)} | test ppl ${f(Math.exp(test_loss), 8, 2)}`);
  log('='.repeat(89));
  return { trainLosses, valLosses, test_loss, model };
}

/** Rebuilds the model saved by run() from its checkpoint: the weights and the flags in its metadata. */
export async function loadModel(torch, path, ntokens, device = 'cpu') {
  const bytes = readFileSync(path);
  const meta = torch.serialization.load_metadata(bytes);
  if (meta.model === undefined) throw new Error(`${path}: no model flags in its metadata (not written by main.mjs)`);
  const args = {
    model: meta.model, emsize: Number(meta.emsize), nhid: Number(meta.nhid), nlayers: Number(meta.nlayers),
    nhead: Number(meta.nhead), dropout: Number(meta.dropout), tied: meta.tied === 'true',
  };
  const model = buildModel(torch, args, ntokens);
  model.load_state_dict(torch.load(bytes));
  return model.to(device);
}

/**
 * generate.py: samples `words` words from `model`, each from softmax(output / temperature) with
 * torch.multinomial, starting from a random word. Returns the text (a newline after every 20th
 * word, as generate.py writes its file); `log` receives the progress lines.
 */
export async function generate(torch, { model, corpus, words, temperature = 1.0, log_interval = 100, device = 'cpu', log = console.log }) {
  if (temperature < 1e-3) throw new RangeError('--temperature has to be greater or equal 1e-3.');
  model.eval();
  const ntokens = corpus.dictionary.length;
  const is_transformer_model = model.model_type === 'Transformer';
  let hidden = is_transformer_model ? null : model.init_hidden(1);
  let input = torch.randint(ntokens, [1, 1], { device });
  let out = '';
  await torch.no_grad(async () => {
    for (let i = 0; i < words; i++) {
      let word_idx;
      if (is_transformer_model) {
        const output = model.call(input, false);
        const word_weights = output.select(0, -1).squeeze().div(temperature).exp();
        word_idx = await torch.multinomial(word_weights, 1).select(0, 0).item();
        const word_tensor = torch.tensor([[word_idx]], { device });
        input = torch.cat([input, word_tensor], 0);
      } else {
        let output;
        [output, hidden] = model.call(input, hidden);
        const word_weights = output.squeeze().div(temperature).exp();
        word_idx = await torch.multinomial(word_weights, 1).select(0, 0).item();
        input.fill_(word_idx);
      }

      const word = corpus.dictionary.idx2word[word_idx];
      out += word + (i % 20 === 19 ? '\n' : ' ');

      if (i % log_interval === 0) log(`| Generated ${i}/${words} words`);
    }
  });
  return out;
}
