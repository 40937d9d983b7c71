#!/usr/bin/env node
// A port of pytorch/examples word_language_model/generate.py: samples words from a model that
// main.mjs saved, each drawn with torch.multinomial from softmax(output / temperature).
//
//   node examples/word_language_model/generate.mjs --checkpoint model.safetensors --words 100
import { writeFileSync } from 'node:fs';
import * as torch from '../../dist/webtorch.js';
import { parseArgs } from '../argparse.mjs';
import { Corpus } from './data.mjs';
import { loadModel, generate } from './lib.mjs';

const args = parseArgs({
  data: { type: 'str', default: null, help: 'location of the data corpus the model was trained on (default: Moby Dick)' },
  checkpoint: { type: 'str', default: './model.safetensors', help: 'model checkpoint to use' },
  outf: { type: 'str', default: 'generated.txt', help: 'output file for generated text' },
  words: { type: 'int', default: 1000, help: 'number of words to generate' },
  seed: { type: 'int', default: 1111, help: 'random seed' },
  temperature: { type: 'float', default: 1.0, help: 'temperature - higher will increase diversity' },
  log_interval: { type: 'int', default: 100, help: 'reporting interval', dash: true },
}, process.argv.slice(2), { prog: 'generate.mjs', description: 'webtorch word language model: text generation' });

try {
  // Set the random seed manually for reproducibility.
  torch.manual_seed(args.seed);
  if (args.temperature < 1e-3) throw new RangeError('--temperature has to be greater or equal 1e-3.');
  const corpus = new Corpus(torch, args.data);
  const model = await loadModel(torch, args.checkpoint, corpus.dictionary.length);
  const text = await generate(torch, { model, corpus, words: args.words, temperature: args.temperature, log_interval: args.log_interval });
  writeFileSync(args.outf, text);
} catch (e) {
  console.error(process.env.DEBUG ? e?.stack ?? e : `generate.mjs: ${e?.message ?? e}`);
  process.exit(1);
}
