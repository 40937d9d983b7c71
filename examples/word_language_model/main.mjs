#!/usr/bin/env node
// A port of pytorch/examples word_language_model/main.py to webtorch: an RNN/LSTM/GRU/Transformer
// word-level language model, trained by hand-written SGD with gradient clipping, on Moby Dick
// by default (see README.md).
//
//   npm install                                       # builds dist/, which this imports
//   node examples/word_language_model/main.mjs --epochs 6 --emsize 128 --nhid 128
import * as torch from '../../dist/webtorch.js';
import { parseArgs } from '../argparse.mjs';
import { Corpus } from './data.mjs';
import { run } from './lib.mjs';

const args = parseArgs({
  data: { type: 'str', default: null, help: 'location of the data corpus: a text file (split 80/10/10 by lines) or a folder with train.txt, valid.txt, test.txt (default: Moby Dick)' },
  model: { type: 'str', default: 'LSTM', help: 'type of network', choices: ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU', 'Transformer'] },
  emsize: { type: 'int', default: 200, help: 'size of word embeddings' },
  nhid: { type: 'int', default: 200, help: 'number of hidden units per layer' },
  nlayers: { type: 'int', default: 2, help: 'number of layers' },
  lr: { type: 'float', default: 20, help: 'initial learning rate' },
  clip: { type: 'float', default: 0.25, help: 'gradient clipping' },
  epochs: { type: 'int', default: 40, help: 'upper epoch limit' },
  batch_size: { type: 'int', default: 20, help: 'batch size' },
  bptt: { type: 'int', default: 35, help: 'sequence length' },
  dropout: { type: 'float', default: 0.2, help: 'dropout applied to layers (0 = no dropout)' },
  tied: { type: 'bool', help: 'tie the word embedding and softmax weights' },
  seed: { type: 'int', default: 1111, help: 'random seed' },
  log_interval: { type: 'int', default: 200, help: 'report interval', dash: true },
  save: { type: 'str', default: 'model.safetensors', help: 'path to save the final model' },
  nhead: { type: 'int', default: 2, help: 'the number of heads in the encoder/decoder of the transformer model' },
  dry_run: { type: 'bool', help: 'verify the code and the model', dash: true },
  use_optimizer: { type: 'bool', help: 'Uses AdamW optimizer for gradient updating', dash: true },
}, process.argv.slice(2), { prog: 'main.mjs', description: 'webtorch RNN/LSTM/GRU/Transformer Language Model (Moby Dick by default)' });

console.log('Using device: cpu');
const stop = { requested: false };
process.once('SIGINT', () => { stop.requested = true; }); // Ctrl-C: stop after this batch, then test
try {
  const corpus = new Corpus(torch, args.data);
  await run(torch, args, { corpus, stop });
} catch (e) {
  console.error(process.env.DEBUG ? e?.stack ?? e : `main.mjs: ${e?.message ?? e}`);
  process.exit(1);
}
