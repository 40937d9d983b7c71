// Reductions and prefix sums of webgpu views (the webgpu backend's reduce kernels). The input is read through its strides, converted on load, so no copy is made first.
import type { ReduceKernels } from '../ts/backend/kernels/reduce.js';
import type { Storage } from '../ts/backend/storage.js';
import { viewOf, type View } from '../ts/backend/view.js';
import type { DType } from '../ts/dtype.js';
import { isFloating } from '../ts/dtype.js';
import { numel } from '../ts/shape.js';
import { dispatch, wg, Params } from './runtime.js';
import { emptyStorage, bufferOf, contiguousView, done, copyStorage } from './memory.js';
import { word } from './wgsl/types.js';
import { pointwise } from './pointwise.js';
import { sortKey, sortSource } from './wgsl/sort.js';
import { reduceKey, reduceSource, scanSource, type ReduceKind, type ReduceSpec } from './wgsl/reduce.js';

/** Elements one lane folds serially before the lanes fold pairwise (bounds float error and keeps lanes busy). */
const PER_LANE = 8;
/** Rows no longer than this are scanned one thread per row. */
const SERIAL_SCAN = 64;

type Dim = [size: number, stride: number];

/** Drops size-1 dims and merges neighbours that are one dim in memory (fewer index divisions). */
function coalesce(dims: Dim[]): Dim[] {
  const out: Dim[] = [];
  for (const [n, s] of dims) {
    if (n === 1) continue;
    const last = out[out.length - 1];
    if (last && last[1] === n * s) { last[0] *= n; last[1] = s; } else out.push([n, s]);
  }
  return out;
}

const nextPow2 = (v: number): number => 2 ** Math.ceil(Math.log2(Math.max(v, 1)));

interface Source { buf: GPUBuffer; dtype: DType; offset: number; kept: Dim[]; red: Dim[]; idx: GPUBuffer | null }

/** One pass over `src`; long reductions write per-chunk partials and reduce those in a further pass. */
function pass(kind: ReduceKind, src: Source, compute: DType, out: DType, wantIdx: boolean, mu: GPUBuffer | null): [Storage, Storage | null] {
  const W = wg();
  const O = numel(src.kept.map((d) => d[0])), R = numel(src.red.map((d) => d[0]));
  const chunks = R <= W * PER_LANE ? 1 : Math.ceil(R / (W * PER_LANE));
  const chunk = Math.ceil(R / chunks);
  const lanes = chunks > 1 ? W : Math.min(W, nextPow2(Math.ceil(R / PER_LANE)));
  const final = chunks === 1;
  const values = emptyStorage(final ? out : compute, O * chunks, kind);
  const indices = wantIdx ? emptyStorage('int32', O * chunks, kind) : null;
  const spec: ReduceSpec = { kind, input: src.dtype, compute, out: final ? out : compute, idxIn: !!src.idx, idxOut: wantIdx, center: !!mu, lanes };
  const params = new Params().i(O * chunks, R, chunks, chunk, src.offset, src.kept.length, src.red.length,
    ...src.kept.map((d) => d[0]), ...src.kept.map((d) => d[1]), ...src.red.map((d) => d[0]), ...src.red.map((d) => d[1]));
  const buffers = [src.buf, ...(src.idx ? [src.idx] : []), ...(mu ? [mu] : []), values.buffer!, ...(indices ? [indices.buffer!] : [])];
  dispatch(reduceKey(spec, W), () => reduceSource(spec, W), buffers, params, Math.ceil((O * chunks) / (W / lanes)));
  if (final) return [values, indices];
  try {
    // the partials: O rows of `chunks` contiguous values (indices already absolute)
    const next: Source = { buf: values.buffer!, dtype: compute, offset: 0, kept: [[O, chunks]], red: [[chunks, 1]], idx: indices ? indices.buffer! : null };
    return pass(kind, next, compute, out, wantIdx, null);
  } finally {
    values.free();
    indices?.free();
  }
}

/**
 * Reduces the GPU view `x` over `dims` (sorted) with `kind`, computing in `compute` and returning
 * values of `out`, one per kept position (and int32 indices of the first extreme when `wantIdx`).
 * `mu` (a contiguous float32 view, one value per output): sums (x - mu)^2 instead, for batch-norm
 * variances.
 */
export function reduceView(kind: ReduceKind, x: View, dims: readonly number[], compute: DType, out: DType, wantIdx = false, mu: View | null = null): [Storage, Storage | null] {
  word(x.dtype, kind); word(compute, kind); word(out, kind);
  const kept: Dim[] = [], red: Dim[] = [];
  x.shape.forEach((n, i) => (dims.includes(i) ? red : kept).push([n, x._strides[i]]));
  const src: Source = { buf: bufferOf(x), dtype: x.dtype, offset: x._offset, kept: coalesce(kept), red: coalesce(red), idx: null };
  return pass(kind, src, compute, out, wantIdx, mu ? bufferOf(mu) : null);
}

/** Inclusive prefix sums of the GPU view `x` along `d`, as dtype `out` (float32 or int32). */
function cumsum(x: View, d: number, out: DType): Storage {
  const compute: DType = isFloating(out) ? out : 'int32';
  word(compute, 'cumsum'); word(out, 'cumsum');
  const src = contiguousView(x, compute);
  try {
    const n = numel(x.shape);
    const y = emptyStorage(compute, n, 'cumsum');
    const R = x.shape.length ? x.shape[d] : 1, B = numel(x.shape.slice(d + 1));
    const rows = n / Math.max(1, R);
    if (n > 0) {
      const W = wg(), tiled = R > SERIAL_SCAN;
      dispatch(`scan_${compute}_${+tiled}_W${W}`, () => scanSource(compute, tiled, W), [bufferOf(src), y.buffer!],
        new Params().i(rows, R, B, src._offset), tiled ? rows : Math.ceil(rows / W));
    }
    if (compute === out) return y;
    try { return copyStorage(viewOf(y, x.shape), out); } finally { y.free(); }
  } finally {
    done(x, src);
  }
}

/** The first k of `x` sorted along `d`, by rank (gpu/wgsl/sort.ts): values and int32 positions, stable, NaN largest. */
function sort(x: View, d: number, descending: boolean, k: number): [Storage, Storage] {
  const src = contiguousView(x);
  try {
    const n = numel(x.shape);
    const R = x.shape.length ? x.shape[d] : 1, B = numel(x.shape.slice(d + 1));
    const values = emptyStorage(x.dtype, (n / R) * k, 'sort'), indices = emptyStorage('int32', (n / R) * k, 'sort');
    const W = wg();
    dispatch(sortKey(x.dtype, descending, W), () => sortSource(x.dtype, descending, W),
      [bufferOf(src), values.buffer!, indices.buffer!], new Params().i(n, R, B, src._offset, k), Math.ceil(n / W));
    return [values, indices];
  } finally {
    done(x, src);
  }
}

/** The webgpu backend's reduce kernels. */
export const reduce: ReduceKernels = {
  reduce: (kind, x, dims, compute, out, wantIdx) => {
    if (kind !== 'sumsq') return reduceView(kind, x, dims, compute, out, wantIdx);
    // the squares, then their sum
    const sq = pointwise.pointwise('mul', [x, x], compute, compute, x.shape, 0, 0);
    try { return reduceView('sum', viewOf(sq, x.shape), dims, compute, out); } finally { sq.free(); }
  },
  cumsum,
  sort,
};
