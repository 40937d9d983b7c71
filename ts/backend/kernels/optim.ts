// Fused optimizer updates: each rule of ts/optim/optim_table.ts, one pass over a parameter.
import type { OptimName } from '../../optim/optim_table.js';
import type { View } from '../view.js';

export interface OptimKernels {
  /**
   * One step of update rule `name`, in place: the parameter view `p` and its state views are
   * updated from the gradient `g` (p's shape; any layout and dtype). `states` follow the rule's
   * order, null exactly where `flags` leave a state unused; each is contiguous, of p's dtype, and
   * shares no storage with p or the others. `scalars` are the rule's per-step numbers in its order
   * (f64, rounded to p's dtype by the kernel), `flags` its bits. Version counters are the caller's.
   */
  optimStep(name: OptimName, p: View, g: View, states: readonly (View | null)[], scalars: readonly number[], flags: number): void;
}
