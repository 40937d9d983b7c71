#!/usr/bin/env node
// A character-level GPT (nanoGPT style) trained on Moby Dick by default, then sampled.
//
//   npm install                                  # builds dist/, which this imports
//   node examples/char_gpt/main.mjs              # 2000 steps on the CPU (wasm), then 500 characters
//   node examples/char_gpt/main.mjs --device webgpu
import * as torch from '../../dist/webtorch.js';
import { writeFileSync } from 'node:fs';
import { parseArgs } from '../argparse.mjs';
import { readText } from '../moby_dick.mjs';
import { DEFAULTS, train, sample } from './lib.mjs';

const D = DEFAULTS;
const args = parseArgs({
  data: { type: 'str', default: null, help: 'a text file to train on (default: Moby Dick)' },
  device: { type: 'str', default: 'cpu', help: 'where to run', choices: ['cpu', 'webgpu'] },
  max_iters: { type: 'int', default: D.max_iters, help: 'training steps' },
  batch_size: { type: 'int', default: D.batch_size, help: 'sequences per step' },
  block_size: { type: 'int', default: D.block_size, help: 'context length in characters' },
  n_layer: { type: 'int', default: D.n_layer, help: 'transformer blocks' },
  n_head: { type: 'int', default: D.n_head, help: 'attention heads' },
  n_embd: { type: 'int', default: D.n_embd, help: 'embedding size' },
  dropout: { type: 'float', default: D.dropout, help: 'dropout' },
  learning_rate: { type: 'float', default: D.learning_rate, help: 'AdamW learning rate' },
  weight_decay: { type: 'float', default: D.weight_decay, help: 'AdamW weight decay (2-D weights only)' },
  grad_clip: { type: 'float', default: D.grad_clip, help: 'clip gradients at this norm (0: no clipping)' },
  eval_interval: { type: 'int', default: D.eval_interval, help: 'steps between train/val loss estimates (0: none)' },
  eval_iters: { type: 'int', default: D.eval_iters, help: 'batches per loss estimate' },
  log_interval: { type: 'int', default: D.log_interval, help: 'steps between loss lines' },
  seed: { type: 'int', default: D.seed, help: 'random seed' },
  start: { type: 'str', default: '\n', help: 'the text the sample starts from (default: a newline)' },
  max_new_tokens: { type: 'int', default: 500, help: 'characters to sample after training' },
  temperature: { type: 'float', default: 0.8, help: 'sampling temperature: 1.0 no change, < 1.0 less random' },
  top_k: { type: 'int', default: 200, help: 'sample among the top_k most likely characters (0: all)' },
  save: { type: 'str', default: '', help: 'write the trained weights to this .safetensors file' },
}, process.argv.slice(2), { prog: 'main.mjs', description: 'webtorch character-level GPT' });

try {
  if (args.device === 'webgpu' && !(await torch.webgpu.init())) torch.zeros(1, { device: 'webgpu' }); // throws the reason
  const text = readText(args.data);
  const t0 = performance.now();
  const { model, vocab } = await train(torch, text, args, { device: args.device });
  console.error(`[trained ${args.max_iters} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${args.device}]`);
  if (args.save) {
    await torch.save(model.state_dict(), args.save, { metadata: { itos: JSON.stringify(vocab.itos) } });
    console.error(`[saved ${args.save}]`);
  }
  const out = await sample(torch, model, vocab, { start: args.start, max_new_tokens: args.max_new_tokens, temperature: args.temperature, top_k: args.top_k || null, device: args.device });
  console.log('---------------');
  console.log(out);
  console.log('---------------');
} catch (e) {
  console.error(process.env.DEBUG ? e?.stack ?? e : `main.mjs: ${e?.message ?? e}`);
  process.exit(1);
}
