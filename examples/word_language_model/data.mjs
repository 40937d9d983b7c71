// A port of pytorch/examples word_language_model/data.py: a Dictionary of words and a Corpus of
// train/valid/test token ids, one <eos> after every line.
//
// The original reads train.txt, valid.txt and test.txt from a folder (wikitext-2). That layout
// still works (`--data DIR`); a single text file (`--data FILE`, by default Moby Dick) is split by
// lines: the first 80% of its lines are train, the next 10% valid, the last 10% test.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readText } from '../moby_dick.mjs';

export class Dictionary {
  constructor() {
    this.word2idx = new Map();
    this.idx2word = [];
  }

  add_word(word) {
    if (!this.word2idx.has(word)) {
      this.idx2word.push(word);
      this.word2idx.set(word, this.idx2word.length - 1);
    }
    return this.word2idx.get(word);
  }

  get length() {
    return this.idx2word.length;
  }
}

/** The lines of a text as Python's `for line in f` sees them (no empty line after a final newline). */
export function lines(text) {
  const ls = text.split(/\r?\n/);
  if (ls.at(-1) === '') ls.pop();
  return ls;
}

/** Python's str.split(): words separated by runs of whitespace. */
const words = (line) => line.split(/\s+/).filter((w) => w !== '');

/** The three line ranges of one text: 80% train, 10% valid, 10% test, in order. */
export function splitLines(ls) {
  const a = Math.floor(ls.length * 0.8), b = Math.floor(ls.length * 0.9);
  return { train: ls.slice(0, a), valid: ls.slice(a, b), test: ls.slice(b) };
}

export class Corpus {
  /**
   * `path`: a folder with train.txt, valid.txt and test.txt (as in the original), or one text file
   * split 80/10/10 by lines; null reads Moby Dick. `torch` is the module the ids are made with.
   */
  constructor(torch, path = null) {
    let parts;
    if (path !== null && existsSync(path) && statSync(path).isDirectory()) {
      const read = (name) => {
        const f = join(path, name);
        if (!existsSync(f)) throw new Error(`Corpus: ${f} does not exist`);
        return lines(readFileSync(f, 'utf8'));
      };
      parts = { train: read('train.txt'), valid: read('valid.txt'), test: read('test.txt') };
    } else {
      if (path !== null && !existsSync(path)) throw new Error(`Corpus: ${path} does not exist`);
      parts = splitLines(lines(readText(path)));
    }
    this._build(torch, parts);
  }

  /** A corpus from a string (split 80/10/10 by lines), without a file. */
  static fromText(torch, text) {
    const c = Object.create(Corpus.prototype);
    c._build(torch, splitLines(lines(text)));
    return c;
  }

  _build(torch, parts) {
    this.dictionary = new Dictionary();
    this.train = this.tokenize(torch, parts.train);
    this.valid = this.tokenize(torch, parts.valid);
    this.test = this.tokenize(torch, parts.test);
  }

  /** Tokenizes lines of text: adds their words to the dictionary, returns their ids (int64 in PyTorch, int32 here). */
  tokenize(torch, ls) {
    // Add words to the dictionary
    for (const line of ls) for (const word of [...words(line), '<eos>']) this.dictionary.add_word(word);
    // Tokenize file content
    const ids = [];
    for (const line of ls) for (const word of [...words(line), '<eos>']) ids.push(this.dictionary.word2idx.get(word));
    return torch.tensor(Int32Array.from(ids));
  }
}
