// torch.multinomial: indices drawn from rows of (unnormalized) probabilities, with tensor ops on the
// input's device and the counter-based generator (ts/random.ts), so a seed gives the same samples
// on wasm and webgpu. With replacement: uniform draws located in the row's cumulative sums. Without
// replacement: PyTorch's own method, the top num_samples of p / q with q ~ Exponential(1).
import { Tensor } from '../tensor.js';
import { isFloating } from '../dtype.js';
import { backendFor } from '../backend/dispatch.js';
import { randomFill, default_generator, type Generator } from '../random.js';
import { no_grad } from '../autograd/grad_mode.js';
import { checkTensor } from './pointwise.js';
import { arange, on } from '../creation.js';
import { topk } from './sort.js';
import { cat } from './indexing.js';
import { parseArgs } from '../nn/functional/args.js';

interface MultinomialArgs { num_samples: number; replacement: boolean; generator: Generator }
/** comparisons per chunk of samples drawn with replacement */
const CHUNK = 1 << 22;
const TYPE_NAME: Record<string, string> = { int32: 'Int', uint8: 'Byte', bool: 'Bool' };

/**
 * torch.multinomial(input, num_samples, replacement=False, *, generator=None): int32 indices of
 * shape [num_samples] (1-D input) or [rows, num_samples] (2-D). The value checks (negative, inf or
 * nan probabilities, a row summing to 0) run where the backend reads synchronously (not webgpu).
 */
export function multinomial(x: Tensor, ...args: unknown[]): Tensor {
  checkTensor('multinomial', x);
  const o = parseArgs<MultinomialArgs>('multinomial', args, ['num_samples', 'replacement', 'generator'], { replacement: false, generator: default_generator });
  const S = o.num_samples;
  if (typeof S !== 'number' || !Number.isInteger(S)) throw new TypeError(`multinomial(): argument 'num_samples' must be int, got ${S === undefined ? 'nothing' : String(S)}`);
  if (!isFloating(x.dtype)) throw new TypeError(`multinomial only supports floating-point dtypes for input, got: ${TYPE_NAME[x.dtype] ?? x.dtype}`);
  if (x.ndim !== 1 && x.ndim !== 2) throw new RangeError(`prob_dist must be 1 or 2 dim, got ${x.ndim} dims (shape [${x.shape.join(', ')}])`);
  if (S <= 0) throw new RangeError(`cannot sample n_sample <= 0 samples (num_samples = ${S})`);
  const n = x.shape[x.ndim - 1];
  if (!o.replacement && S > n) throw new RangeError(`cannot sample n_sample > prob_dist.size(-1) samples without replacement (num_samples = ${S}, size(-1) = ${n})`);
  return no_grad(() => {
    const P = x.detach().reshape([-1, n]);
    const rows = P.shape[0];
    if (backendFor('multinomial', [x]).syncReads && rows > 0) {
      if (P.isnan().logical_or(P.lt(0)).logical_or(P.abs().eq(Infinity)).any().itemSync()) throw new RangeError('multinomial: probability tensor contains either `inf`, `nan` or element < 0');
      if (n === 0 || P.sum(-1).le(0).any().itemSync()) throw new RangeError('multinomial: invalid multinomial distribution (sum of probabilities <= 0)');
    }
    const u = randomFill('uniform', [rows, o.replacement ? S : n], x.dtype, 0, 1, o.generator, x.device.type);
    let out: Tensor;
    if (o.replacement) {
      const cdf = P.cumsum(-1);
      const target = u.mul(cdf.narrow(1, n - 1, 1));
      // the category whose cumulative interval [cdf[i-1], cdf[i]) holds the target; a target
      // rounded up to the total falls on the last category with a positive probability
      // (the comparisons take rows x chunk x n booleans: samples go in chunks of ~4M comparisons)
      const chunk = Math.max(1, Math.floor(CHUNK / Math.max(1, rows * n)));
      const counts: Tensor[] = [];
      for (let s = 0; s < S; s += chunk) {
        const t = target.narrow(1, s, Math.min(chunk, S - s));
        counts.push(cdf.unsqueeze(1).le(t.unsqueeze(2)).sum(-1));
      }
      const count = counts.length === 1 ? counts[0] : cat(counts, 1);
      const last = P.gt(0).mul(arange(n, { ...on(x), dtype: 'int32' })).amax(-1, true);
      out = count.minimum(last);
    } else {
      const q = u.neg().log1p().neg();
      out = topk(P.div(q).where(P.gt(0), 0), S, -1).indices;
    }
    return x.ndim === 1 ? out.reshape([S]) : out;
  });
}

// ------------------------------------------------------------------ Tensor methods
import { installMethods } from './methods.js';

declare module '../tensor.js' {
  interface Tensor {
    /** torch.multinomial(self, num_samples, replacement=false, { generator }): int32 indices. */
    multinomial(num_samples: number | { num_samples: number; replacement?: boolean; generator?: Generator }, replacement?: boolean | { replacement?: boolean; generator?: Generator }, opts?: { generator?: Generator }): Tensor;
  }
}

installMethods({ multinomial: (x: Tensor, ...a: unknown[]) => multinomial(x, ...a) } as never);
