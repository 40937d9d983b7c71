// Matrix products: the batched GEMM behind mm, bmm, dot and matmul. Transposes and broadcasts
// travel as strides, never copies.
import type { Storage } from '../storage.js';
import type { View } from '../view.js';

export interface LinalgKernels {
  /**
   * `a` [..., m, k] @ `b` [..., k, n], both broadcast over the batch shape `batch` (the op layer
   * checked the shapes and that both have one dtype), as a new contiguous storage
   * [...batch, m, n] of that dtype. With `init` (same dtype, broadcastable to [...batch, m, n]) the
   * result is init + a @ b, the product accumulated onto init in one pass (addmm's and linear's
   * bias) instead of a second elementwise op over the output.
   */
  matmul(a: View, b: View, batch: readonly number[], init?: View): Storage;
}
