// The wasm backend: SIMD WebAssembly kernels (assembly/) behind the Backend interface.
import type { Backend } from '../backend.js';
import { memory } from './memory.js';
import { pointwise } from './pointwise.js';
import { reduce } from './reduce.js';
import { linalg } from './linalg.js';
import { conv } from './conv.js';
import { pool } from './pool.js';
import { indexing } from './indexing.js';
import { random } from './random.js';
import { optim } from './optim.js';
import { norm } from './norm.js';
import { loss } from './loss.js';
import { rnn } from './rnn.js';

export const wasm: Backend = {
  device: 'cpu',
  ...memory, ...pointwise, ...reduce, ...linalg, ...conv, ...pool, ...indexing, ...random, ...optim, ...norm, ...loss, ...rnn,
};
