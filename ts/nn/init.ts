// torch.nn.init: in-place initializers (run without recording the graph), PyTorch's formulas.
// Draws come from the default generator (torch.manual_seed), or options.generator.
import { Tensor } from '../tensor.js';
import { no_grad } from '../autograd/grad_mode.js';
import { randomFill, type Generator, default_generator } from '../random.js';
import { tensor as makeTensor } from '../creation.js';

type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** nn.init.calculate_gain(nonlinearity, param) */
export function calculate_gain(nonlinearity: Nonlinearity | string, param?: number | null): number {
  const linear = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];
  if (linear.includes(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5 / 3;
  if (nonlinearity === 'relu') return Math.SQRT2;
  if (nonlinearity === 'leaky_relu') {
    let slope = 0.01;
    if (param !== undefined && param !== null) {
      if (typeof param !== 'number' || Number.isNaN(param)) throw new TypeError(`negative_slope ${param} not a valid number`);
      slope = param;
    }
    return Math.sqrt(2 / (1 + slope * slope));
  }
  if (nonlinearity === 'selu') return 3 / 4;
  throw new RangeError(`Unsupported nonlinearity ${nonlinearity}`);
}

/** [fan_in, fan_out] as torch.nn.init._calculate_fan_in_and_fan_out */
export function _calculate_fan_in_and_fan_out(t: Tensor): [number, number] {
  if (t.ndim < 2) throw new RangeError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i];
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

function fanOf(t: Tensor, mode: string): number {
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new RangeError(`Mode ${mode} not supported, please use one of fan_in, fan_out`);
  const [fi, fo] = _calculate_fan_in_and_fan_out(t);
  return mode === 'fan_in' ? fi : fo;
}

function fillFrom<T extends Tensor>(t: T, kind: 'uniform' | 'normal', a: number, b: number, gen?: Generator): T {
  no_grad(() => {
    if (t.numel() === 0) return;
    const r = randomFill(kind, t.shape, t.dtype, kind === 'uniform' ? 0 : a, kind === 'uniform' ? 1 : b, gen ?? default_generator);
    t.copy_(kind === 'uniform' ? r.mul(b - a).add(a) : r);
  });
  return t;
}

type GenOpt = { generator?: Generator };

/** uniform_(tensor, a=0, b=1) */
export function uniform_<T extends Tensor>(t: T, a: number | ({ a?: number; b?: number } & GenOpt) = 0, b = 1, o: GenOpt = {}): T {
  if (typeof a === 'object') { o = a; b = a.b ?? 1; a = a.a ?? 0; }
  return fillFrom(t, 'uniform', a, b, o.generator);
}
/** normal_(tensor, mean=0, std=1) */
export function normal_<T extends Tensor>(t: T, mean: number | ({ mean?: number; std?: number } & GenOpt) = 0, std = 1, o: GenOpt = {}): T {
  if (typeof mean === 'object') { o = mean; std = mean.std ?? 1; mean = mean.mean ?? 0; }
  return fillFrom(t, 'normal', mean, std, o.generator);
}
/** trunc_normal_(tensor, mean=0, std=1, a=-2, b=2): normal values redrawn until inside [a, b]. */
export function trunc_normal_<T extends Tensor>(t: T, mean: number | ({ mean?: number; std?: number; a?: number; b?: number } & GenOpt) = 0, std = 1, a = -2, b = 2, o: GenOpt = {}): T {
  if (typeof mean === 'object') { o = mean; std = mean.std ?? 1; a = mean.a ?? -2; b = mean.b ?? 2; mean = mean.mean ?? 0; }
  const m = mean, s = std;
  no_grad(() => {
    if (t.numel() === 0) return;
    let v = randomFill('normal', t.shape, t.dtype, m, s, o.generator ?? default_generator);
    for (let it = 0; it < 100; it++) {
      const bad = v.lt(a).logical_or(v.gt(b));
      if (!bad.any().itemSync()) break;
      v = v.where(bad.logical_not(), randomFill('normal', t.shape, t.dtype, m, s, o.generator ?? default_generator));
    }
    t.copy_(v.clamp(a, b));
  });
  return t;
}
export function constant_<T extends Tensor>(t: T, val: number): T { no_grad(() => t.fill_(val)); return t; }
export function zeros_<T extends Tensor>(t: T): T { return constant_(t, 0); }
export function ones_<T extends Tensor>(t: T): T { return constant_(t, 1); }
/** eye_(2-D tensor) */
export function eye_<T extends Tensor>(t: T): T {
  if (t.ndim !== 2) throw new RangeError('Only tensors with 2 dimensions are supported');
  no_grad(() => { t.fill_(0); const n = Math.min(t.shape[0], t.shape[1]); for (let i = 0; i < n; i++) t.select(0, i).select(0, i).fill_(1); });
  return t;
}

interface KaimingOpts extends GenOpt { a?: number; mode?: 'fan_in' | 'fan_out'; nonlinearity?: Nonlinearity }
function kaimingArgs(a: number | KaimingOpts, mode: string, nonlinearity: string): [number, string, string, Generator | undefined] {
  if (typeof a === 'object') return [a.a ?? 0, a.mode ?? 'fan_in', a.nonlinearity ?? 'leaky_relu', a.generator];
  return [a, mode, nonlinearity, undefined];
}
/** kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'): U(-bound, bound), bound = gain * sqrt(3 / fan) */
export function kaiming_uniform_<T extends Tensor>(t: T, a: number | KaimingOpts = 0, mode: 'fan_in' | 'fan_out' = 'fan_in', nonlinearity: Nonlinearity = 'leaky_relu'): T {
  const [aa, md, nl, gen] = kaimingArgs(a, mode, nonlinearity);
  if (t.numel() === 0) return t;
  const std = calculate_gain(nl, aa) / Math.sqrt(fanOf(t, md));
  const bound = Math.sqrt(3) * std;
  return fillFrom(t, 'uniform', -bound, bound, gen);
}
/** kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'): N(0, gain / sqrt(fan)) */
export function kaiming_normal_<T extends Tensor>(t: T, a: number | KaimingOpts = 0, mode: 'fan_in' | 'fan_out' = 'fan_in', nonlinearity: Nonlinearity = 'leaky_relu'): T {
  const [aa, md, nl, gen] = kaimingArgs(a, mode, nonlinearity);
  if (t.numel() === 0) return t;
  return fillFrom(t, 'normal', 0, calculate_gain(nl, aa) / Math.sqrt(fanOf(t, md)), gen);
}
/** xavier_uniform_(tensor, gain=1): U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)) */
export function xavier_uniform_<T extends Tensor>(t: T, gain: number | ({ gain?: number } & GenOpt) = 1): T {
  const o = typeof gain === 'object' ? gain : { gain };
  const [fi, fo] = _calculate_fan_in_and_fan_out(t);
  const bound = (o.gain ?? 1) * Math.sqrt(6 / (fi + fo));
  return fillFrom(t, 'uniform', -bound, bound, o.generator);
}
/** xavier_normal_(tensor, gain=1): N(0, gain * sqrt(2 / (fan_in + fan_out))) */
export function xavier_normal_<T extends Tensor>(t: T, gain: number | ({ gain?: number } & GenOpt) = 1): T {
  const o = typeof gain === 'object' ? gain : { gain };
  const [fi, fo] = _calculate_fan_in_and_fan_out(t);
  return fillFrom(t, 'normal', 0, (o.gain ?? 1) * Math.sqrt(2 / (fi + fo)), o.generator);
}

/** orthogonal_(tensor, gain=1): a (semi-)orthogonal matrix from the QR of a normal matrix. */
export function orthogonal_<T extends Tensor>(t: T, gain: number | ({ gain?: number } & GenOpt) = 1): T {
  const o = typeof gain === 'object' ? gain : { gain };
  if (t.ndim < 2) throw new RangeError('Only tensors with 2 or more dimensions are supported');
  if (t.numel() === 0) return t;
  const rows = t.shape[0], cols = t.numel() / rows;
  const flat = randomFill('normal', [rows, cols], 'float64', 0, 1, o.generator ?? default_generator).dataSync() as Float64Array;
  // work on A (m x n, m >= n): transpose when rows < cols
  const tr = rows < cols;
  const m = tr ? cols : rows, n = tr ? rows : cols;
  const A = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) { if (tr) A[j * n + i] = flat[i * cols + j]; else A[i * n + j] = flat[i * cols + j]; }
  // modified Gram-Schmidt: Q (m x n), diag(R) signs folded in (q *= sign(diag r))
  const Q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) Q[i * n + j] = A[i * n + j];
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += Q[i * n + k] * Q[i * n + j];
      for (let i = 0; i < m; i++) Q[i * n + j] -= dot * Q[i * n + k];
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += Q[i * n + j] * Q[i * n + j];
    nrm = Math.sqrt(nrm) || 1;
    // R[j][j] = nrm > 0, so the sign correction is +1: Q columns are already sign-normalized
    for (let i = 0; i < m; i++) Q[i * n + j] /= nrm;
  }
  const g = o.gain ?? 1;
  const out: number[] = new Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = g * (tr ? Q[j * n + i] : Q[i * n + j]);
  no_grad(() => t.copy_(makeTensor(out, { dtype: t.dtype }).reshape(t.shape)));
  return t;
}

// PyTorch's un-suffixed deprecated aliases
export const kaiming_uniform = kaiming_uniform_, kaiming_normal = kaiming_normal_, xavier_uniform = xavier_uniform_, xavier_normal = xavier_normal_;
export const uniform = uniform_, normal = normal_, constant = constant_, orthogonal = orthogonal_;
