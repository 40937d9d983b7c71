// torch.sparse and the sparse-aware facade functions (torch.mm, torch.matmul, torch.spmm).
import { Tensor } from '../tensor.js';
import { mm as denseMm, matmul as denseMatmul } from '../ops/linalg.js';
import { installMethods } from '../ops/methods.js';
import { named } from '../shape.js';
import { SparseCooTensor, is_sparse, sparse_coo_tensor, sparse_mm, to_sparse } from './coo.js';

export { SparseCooTensor, sparse_coo_tensor, to_sparse };
/** torch.mm: sparse x dense goes to sparse.mm */
export const mm = (a: Tensor | SparseCooTensor, b: Tensor | SparseCooTensor): Tensor => (is_sparse(a) || is_sparse(b) ? sparse_mm(a, b) : denseMm(a, b));
/** torch.spmm(sparse, dense); two dense matrices are multiplied as by torch.mm, as PyTorch does */
export const spmm = (a: Tensor | SparseCooTensor, b: Tensor | SparseCooTensor): Tensor => named('spmm', () => mm(a, b));
/** torch.sparse.mm(sparse, dense): torch.spmm (two dense matrices are multiplied too, as in PyTorch) */
export const sparse = { mm: spmm };
/** torch.matmul: sparse x dense goes to sparse.mm */
export const matmul = (a: Tensor | SparseCooTensor, b: Tensor | SparseCooTensor): Tensor => (is_sparse(a) || is_sparse(b) ? sparse_mm(a, b) : denseMatmul(a, b));

declare module '../tensor.js' {
  interface Tensor {
    /** false: a dense tensor (torch.sparse_coo_tensor makes sparse ones) */
    readonly is_sparse: boolean;
    /** the sparse COO form: indices of the nonzero entries and their values */
    to_sparse(sparse_dim?: number): SparseCooTensor;
    /** a dense tensor is its own dense form */
    to_dense(): Tensor;
  }
}
installMethods({
  is_sparse: { get: () => false },
  to_sparse: (x, sparse_dim) => to_sparse(x, sparse_dim),
  to_dense: (x) => x,
});
