// Recurrent cell kernels: the per-timestep gate math of LSTM and GRU fused into one pass, forward
// and backward (the GEMMs that produce the gate pre-activations stay with linalg). Operands are
// floating views of matching dtype; B rows, H hidden units; gate order as PyTorch (LSTM i, f, g, o;
// GRU r, z, n). Results are new contiguous storages. The forward returns a workspace `ws` of the
// activated gates that its backward takes back; its layout is the kernel's own business.
import type { Storage } from '../storage.js';
import type { View } from '../view.js';

export interface RnnKernels {
  /**
   * LSTM cell: gates = gi + gh [B, 4H]; i, f, o = sigmoid, g = tanh; c2 = f * c + i * g;
   * h = o * tanh(c2). Returns h [B, H], c2 [B, H] and the workspace for lstmCellBackward.
   */
  lstmCell(gi: View, gh: View, c: View): [h: Storage, c2: Storage, ws: Storage];
  /** The gradients of lstmCell: from dh, dc [B, H] (of h, c2), its workspace and c, d gates [B, 4H] and d c [B, H]. */
  lstmCellBackward(dh: View, dc: View, ws: View, c: View): [dgates: Storage, dc: Storage];
  /**
   * A whole LSTM layer and direction: T steps of lstmCell over B rows, each step's gh being
   * h @ whhT + bhh. gi [T*B, 4H] holds the input projections in time order, whhT [H, 4H] (any
   * strides: weight_hh.t()), bhh [4H] or null, h0 and c0 [B, H]; `reverse` runs from the last step.
   * Returns every step's h [T*B, H] in time order, the final h and c [B, H] (h0 and c0 when T is 0)
   * and the workspace for lstmLayerBackward. One call, so a backend can keep the weight and the
   * states where its kernels run for all T steps.
   */
  lstmLayer(gi: View, whhT: View, bhh: View | null, h0: View, c0: View, reverse: boolean): [out: Storage, hN: Storage, cN: Storage, ws: Storage];
  /**
   * lstmLayer's gradients from dOut [T*B, H] (of out), dhN and dcN [B, H] (of the final h and c),
   * its workspace and whhT: d gi [T*B, 4H] (time order; also the gradient of the gate
   * pre-activations, hence of bhh and, with the steps' inputs h, of whhT) and d h0, d c0 [B, H].
   */
  lstmLayerBackward(dOut: View, dhN: View, dcN: View, ws: View, whhT: View, reverse: boolean): [dgi: Storage, dh0: Storage, dc0: Storage];
  /**
   * GRU cell, PyTorch's formula: r = sigmoid(gi_r + gh_r), z = sigmoid(gi_z + gh_z),
   * n = tanh(gi_n + r * gh_n), h2 = (h - n) * z + n, with gi, gh [B, 3H], h [B, H]. Returns h2 [B, H]
   * and the workspace for gruCellBackward.
   */
  gruCell(gi: View, gh: View, h: View): [h2: Storage, ws: Storage];
  /** The gradients of gruCell from dh [B, H] (of h2): d gi, d gh [B, 3H] and the direct part of d h [B, H] (dh * z). */
  gruCellBackward(dh: View, ws: View, h: View): [dgi: Storage, dgh: Storage, dh: Storage];
}
