// Sparse COO tensors, enough for graph networks (issue 17): torch.sparse_coo_tensor, to_sparse,
// to_dense, coalesce, indices/values, and sparse x dense products. A SparseCooTensor holds an
// int64 index matrix [sparse_dim, nnz] and a values tensor [nnz, ...dense dims]; its products are
// composed from index_select, mul and scatter_add (out[row] += value * dense[col]), so autograd
// gives the gradient of the dense operand and of the values. CPU (wasm) only: construction reads
// the indices to check them, as PyTorch does.
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import { zeros, arange, tensor as makeTensor } from '../creation.js';
import { index_select, scatter_add, stack } from '../ops/indexing.js';
import { unique } from '../ops/selection.js';
import { parseArgs } from '../nn/functional/args.js';
import { named, shapeStr } from '../shape.js';
import { backendFor } from '../backend/dispatch.js';

/** Coalescing and the size checks read index values synchronously: a backend without synchronous reads (webgpu) cannot hold sparse tensors. */
function cpuOnly(op: string, t: Tensor): void {
  if (!backendFor(op, [t]).syncReads) throw new Error(`${op}: sparse COO tensors are supported on the CPU (wasm) backend only, got a tensor on ${t.device.type}`);
}

export class SparseCooTensor {
  readonly is_sparse = true;
  readonly layout = 'torch.sparse_coo';
  readonly shape: number[];
  constructor(private readonly _idx: Tensor, private readonly _vals: Tensor, shape: number[], private readonly _coalesced = false) {
    this.shape = [...shape];
  }
  get dtype(): DType { return this._vals.dtype; }
  get device(): Tensor['device'] { return this._vals.device; }
  get requires_grad(): boolean { return this._vals.requires_grad; }
  get ndim(): number { return this.shape.length; }
  dim(): number { return this.shape.length; }
  size(d?: number): number | number[] { return d === undefined ? [...this.shape] : this.shape[d < 0 ? d + this.shape.length : d]; }
  sparse_dim(): number { return this._idx.shape[0]; }
  dense_dim(): number { return this.shape.length - this._idx.shape[0]; }
  _nnz(): number { return this._idx.shape[1]; }
  is_coalesced(): boolean { return this._coalesced; }
  _indices(): Tensor { return this._idx; }
  _values(): Tensor { return this._vals; }
  indices(): Tensor {
    if (!this._coalesced) throw new Error('Cannot get indices on an uncoalesced tensor, please call .coalesce() first');
    return this._idx;
  }
  values(): Tensor {
    if (!this._coalesced) throw new Error('Cannot get values on an uncoalesced tensor, please call .coalesce() first');
    return this._vals;
  }

  /** the row-major linear position of each entry over the sparse dims */
  private linear(): Tensor {
    const sd = this.sparse_dim();
    let lin = zeros([this._nnz()], { dtype: 'int64' });
    for (let d = 0; d < sd; d++) lin = lin.mul(this.shape[d]).add(this._idx.select(0, d));
    return lin;
  }

  /** Sorted indices, duplicates summed (differentiable in the values). */
  coalesce(): SparseCooTensor {
    if (this._coalesced) return this;
    const [uniq, inverse] = unique(this.linear(), { sorted: true, return_inverse: true }) as Tensor[];
    const n = uniq.shape[0], rest = this._vals.shape.slice(1);
    const index = inverse.reshape([-1, ...rest.map(() => 1)]).expand([this._nnz(), ...rest]);
    const vals = scatter_add(zeros([n, ...rest], { dtype: this.dtype }), 0, index, this._vals);
    const rows: Tensor[] = [];
    let lin = uniq;
    for (let d = this.sparse_dim() - 1; d >= 0; d--) {
      rows.unshift(lin.remainder(this.shape[d]));
      lin = lin.div(this.shape[d], { rounding_mode: 'floor' });
    }
    const idx = rows.length ? stack(rows) : zeros([0, n], { dtype: 'int64' });
    return new SparseCooTensor(idx, vals, this.shape, true);
  }

  /** The dense tensor, duplicates summed (differentiable in the values). */
  to_dense(): Tensor {
    const sd = this.sparse_dim(), rest = this._vals.shape.slice(1);
    const rows = this.shape.slice(0, sd).reduce((a, b) => a * b, 1);
    const index = this.linear().reshape([-1, ...rest.map(() => 1)]).expand([this._nnz(), ...rest]);
    // bool values: duplicates combine as a logical or (summed as integers)
    const vals = this.dtype === 'bool' ? this._vals.to('int32') : this._vals;
    const dense = scatter_add(zeros([rows, ...rest], { dtype: vals.dtype }), 0, index, vals).reshape(this.shape);
    return this.dtype === 'bool' ? dense.ne(0) : dense;
  }

  /** transpose of a 2-D sparse matrix (t() as in PyTorch) */
  t(): SparseCooTensor {
    if (this.sparse_dim() !== 2 || this.dense_dim() !== 0) throw new RangeError(`t() expects a tensor with <= 2 sparse and 0 dense dimensions, but got ${this.sparse_dim()} sparse and ${this.dense_dim()} dense dimensions`);
    return new SparseCooTensor(this._idx.flip(0), this._vals, [this.shape[1], this.shape[0]]);
  }

  to(arg: string | DType | { dtype?: DType; device?: string }): SparseCooTensor {
    const o = typeof arg === 'string' ? (arg === 'cpu' || arg.startsWith('cpu') ? { device: 'cpu' } : arg.includes('gpu') ? { device: arg } : { dtype: arg as DType }) : arg;
    if (o.device !== undefined && !String(o.device).startsWith('cpu')) throw new Error(`to(): sparse COO tensors are supported on the CPU (wasm) backend only, got device ${o.device}`);
    return o.dtype ? new SparseCooTensor(this._idx, this._vals.to(o.dtype), this.shape, this._coalesced) : this;
  }
  float(): SparseCooTensor { return this.to('float32'); }
  double(): SparseCooTensor { return this.to('float64'); }

  mm(other: Tensor): Tensor { return sparse_mm(this, other); }
  matmul(other: Tensor): Tensor { return sparse_mm(this, other); }

  toString(): string {
    return `tensor(indices=${this._idx.toString()},\n       values=${this._vals.toString()},\n       size=(${this.shape.join(', ')}), nnz=${this._nnz()}, layout=torch.sparse_coo)`;
  }
}

export const is_sparse = (x: unknown): x is SparseCooTensor => x instanceof SparseCooTensor;

/** torch.sparse_coo_tensor(indices, values, size=None, { dtype }) */
export function sparse_coo_tensor(...args: unknown[]): SparseCooTensor {
  return named('sparse_coo_tensor', () => build(args));
}
function build(args: unknown[]): SparseCooTensor {
  const a = parseArgs<{ indices: Tensor | number[][]; values: Tensor | number[]; size: number[] | null; dtype: DType | null; device: string | null; requires_grad: boolean }>(
    'sparse_coo_tensor', args, ['indices', 'values', 'size', 'dtype', 'device', 'requires_grad'], { size: null, dtype: null, device: null, requires_grad: false });
  if (a.device && !String(a.device).startsWith('cpu')) throw new Error(`sparse_coo_tensor: sparse COO tensors are supported on the CPU (wasm) backend only, got device ${a.device}`);
  const idx = a.indices instanceof Tensor ? a.indices : makeTensor(a.indices as number[][], { dtype: 'int64' });
  let vals = a.values instanceof Tensor ? a.values : makeTensor(a.values as number[]);
  cpuOnly('sparse_coo_tensor', idx); cpuOnly('sparse_coo_tensor', vals);
  idx._checkAlive(); vals._checkAlive();
  // float and bool indices are cast (truncated) to integers, as PyTorch casts them to int64
  if (a.dtype) vals = vals.to(a.dtype);
  if (idx.ndim !== 2) throw new RangeError(`indices must be sparse_dim x nnz, but got: ${shapeStr(idx.shape)}`);
  const [sd, nnz] = idx.shape;
  if (vals.ndim < 1 || vals.shape[0] !== nnz) throw new RangeError(`indices and values must have same nnz, but got nnz from indices: ${nnz}, nnz from values: ${vals.ndim ? vals.shape[0] : 0}`);
  const idx64 = idx.to('int64');
  const maxes = nnz ? (idx64.amax(1).tolistSync() as number[]) : new Array(sd).fill(-1);
  if (nnz) {
    const mins = idx64.amin(1).tolistSync() as number[];
    mins.forEach((m, d) => { if (m < 0) throw new RangeError(`found negative index ${m} for dim ${d}`); });
  }
  const size = a.size ? [...a.size] : [...maxes.map((m) => m + 1), ...vals.shape.slice(1)];
  if (size.length !== sd + vals.ndim - 1) throw new RangeError(`number of dimensions must be sparse_dim (${sd}) + dense_dim (${vals.ndim - 1}), but got ${size.length}`);
  maxes.forEach((m, d) => { if (m >= size[d]) throw new RangeError(`size is inconsistent with indices: for dim ${d}, size is ${size[d]} but found index ${m}`); });
  vals.shape.slice(1).forEach((s, i) => { if (s !== size[sd + i]) throw new RangeError(`values has incorrect size, expected ${shapeStr([nnz, ...size.slice(sd)])}, got ${shapeStr(vals.shape)}`); });
  if (a.requires_grad) vals = vals.detach().requires_grad_(true);
  return new SparseCooTensor(idx64, vals, size);
}

/** Tensor.to_sparse(sparse_dim = ndim): the nonzero entries (over the first sparse_dim dims) */
export function to_sparse(x: Tensor, sparse_dim?: number): SparseCooTensor {
  cpuOnly('to_sparse', x);
  const sd = sparse_dim ?? x.ndim;
  if (sd < 0 || sd > x.ndim) throw new RangeError(`sparse_dim must be in [0, ${x.ndim}] (to_sparse got ${sd})`);
  const rows = x.shape.slice(0, sd).reduce((a, b) => a * b, 1);
  const flat = x.reshape([rows, x.shape.slice(sd).reduce((a, b) => a * b, 1)]);
  const keep = flat.ne(0).any(1);
  const lin = arange(rows, { dtype: 'int64' }).masked_select(keep);
  const coords: Tensor[] = [];
  let l = lin;
  for (let d = sd - 1; d >= 0; d--) {
    coords.unshift(l.remainder(x.shape[d]));
    l = l.div(x.shape[d], { rounding_mode: 'floor' });
  }
  const idx = coords.length ? stack(coords) : zeros([0, lin.shape[0]], { dtype: 'int64' });
  const vals = index_select(flat, 0, lin).reshape([lin.shape[0], ...x.shape.slice(sd)]);
  return new SparseCooTensor(idx, vals, x.shape, true);
}

/**
 * torch.sparse.mm(sparse, dense) and torch.spmm: out[row] += value * dense[col], composed from
 * index_select and scatter_add so that gradients reach the dense matrix and the values.
 */
export function sparse_mm(a: SparseCooTensor | Tensor, b: Tensor | SparseCooTensor): Tensor {
  if (!is_sparse(a)) {
    if (is_sparse(b)) throw new TypeError(`sparse.mm(): the sparse matrix must be the first argument (PyTorch 1.13 has no dense x sparse mm; write (b.t() @ a.t()).t())`);
    throw new TypeError('sparse.mm(): expected the first argument to be a sparse COO tensor (torch.sparse_coo_tensor or Tensor.to_sparse())');
  }
  if (is_sparse(b)) return sparse_mm(a, b.to_dense());
  if (!(b instanceof Tensor)) throw new TypeError(`sparse.mm(): argument 'mat2' must be Tensor, not ${b === null ? 'None' : typeof b}`);
  cpuOnly('sparse.mm', b);
  if (a.sparse_dim() !== 2 || a.dense_dim() !== 0) throw new RangeError(`sparse.mm(): expected a 2-D sparse matrix, got ${a.sparse_dim()} sparse and ${a.dense_dim()} dense dimensions`);
  if (b.ndim !== 2) throw new RangeError(`Dimension out of range (expected to be in range of [${-Math.max(b.ndim, 1)}, ${Math.max(b.ndim, 1) - 1}], but got 1)`);
  if (b.shape[0] !== a.shape[1]) throw new RangeError(`addmm: Argument #3 (dense): Expected dim 0 size ${a.shape[1]}, got ${b.shape[0]}`);
  if (b.dtype !== a.dtype) throw new TypeError(`sparse.mm(): expected both operands to have the same dtype, got ${a.dtype} and ${b.dtype}`);
  const idx = a._indices(), k = b.shape[1];
  const contrib = index_select(b, 0, idx.select(0, 1)).mul(a._values().unsqueeze(1));
  const rows = idx.select(0, 0).unsqueeze(1).expand([a._nnz(), k]);
  return scatter_add(zeros([a.shape[0], k], { dtype: b.dtype }), 0, rows, contrib);
}
