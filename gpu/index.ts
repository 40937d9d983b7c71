// The webgpu backend: WGSL compute kernels behind the Backend interface (ts/backend/backend.ts).
// Nothing here imports the Tensor class or anything above the backend floor.
import type { Backend } from '../ts/backend/backend.js';
import { memory } from './memory.js';
import { pointwise } from './pointwise.js';
import { reduce } from './reduce.js';
import { linalg } from './matmul.js';
import { conv } from './conv.js';
import { pool } from './pool.js';
import { indexing } from './indexing.js';
import { random } from './random.js';
import { optim } from './optim.js';
import { norm } from './norm.js';
import { loss } from './loss.js';
import { rnn } from './rnn.js';

export const webgpu: Backend = {
  device: 'webgpu',
  ...memory, ...pointwise, ...reduce, ...linalg, ...conv, ...pool, ...indexing, ...random, ...optim, ...norm, ...loss, ...rnn,
};
