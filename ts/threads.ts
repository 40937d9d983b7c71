// torch.set_num_threads / torch.get_num_threads as in PyTorch: the threads the CPU (wasm) kernels
// use, by default the cores available (WEBTORCH_THREADS overrides). See ts/backend/wasm/threads.ts
// for where threads can run and how the worker pool starts.
import { setNumThreads, getNumThreads } from './backend/wasm/threads.js';

/** torch.set_num_threads(n): n must be a positive integer. */
export function set_num_threads(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    const got = typeof n === 'number' ? 'float' : typeof n === 'boolean' ? 'bool' : typeof n;
    throw new TypeError(`set_num_threads expects an int, but got ${got}`);
  }
  if (n <= 0) throw new RangeError('set_num_threads expects a positive integer');
  setNumThreads(n);
}

/** torch.get_num_threads(): the thread count set (or the default), whether or not its pool has started yet. */
export const get_num_threads = (): number => getNumThreads();
