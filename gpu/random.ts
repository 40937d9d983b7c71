// The webgpu backend's random numbers. The stream is defined by the CPU kernels (assembly/random.ts):
// splitmix64 over 64-bit counters, then uniform values from 53 random bits and normal values from
// a float64 Box-Muller (log, sqrt, cos, sin in float64). WGSL has no float64, so it cannot make the
// same normal values; to keep one stream per seed on every device, the values are made by the wasm
// backend's kernels and uploaded (what PyTorch calls a CPU generator feeding a device tensor).
import type { RandomKernels } from '../ts/backend/kernels/random.js';
import type { Storage } from '../ts/backend/storage.js';
import { random as host } from '../ts/backend/wasm/random.js';
import { memory } from './memory.js';
import { word } from './wgsl/types.js';

function uploaded(s: Storage): Storage {
  try { return memory.upload(s.data, s.dtype); } finally { s.free(); }
}

export const random: RandomKernels = {
  random(kind, n, dtype, a, b, key, counter) {
    word(dtype, kind === 'int' ? 'randint' : kind === 'normal' ? 'randn' : 'rand');
    return uploaded(host.random(kind, n, dtype, a, b, key, counter));
  },
  randperm(n, key, counter) { return uploaded(host.randperm(n, key, counter)); },
};
