// The strong Wolfe line search of torch.optim.LBFGS, ported from PyTorch 1.13's
// torch/optim/lbfgs.py (_cubic_interpolate and _strong_wolfe, after torch/optim's lswolfe.lua).
// Written as a generator, like the optimizer (ts/optim/lbfgs.ts): it yields the 0-dim tensors whose
// values it needs and evaluates the objective through `obj`, which yields the closure.
import type { Tensor } from '../tensor.js';

/** The need for the closure's result ({ raw, value }); any other need is a 0-dim tensor to read. */
export const CLOSURE: unique symbol = Symbol('closure');
export type Need = Tensor | typeof CLOSURE;
/** (loss, flat gradient) at a point */
export type Evaluated = [loss: number, grad: Tensor];
type Objective = (x: Tensor[], t: number, d: Tensor) => Generator<Need, Evaluated, any>;

/** The minimizer of the cubic interpolating (x1, f1, g1) and (x2, f2, g2), clamped to `bounds`. */
export function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [xmin_bound, xmax_bound] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2_square = d1 ** 2 - g1 * g2;
  if (d2_square >= 0) {
    const d2 = Math.sqrt(d2_square);
    const min_pos = x1 <= x2
      ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
      : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(min_pos, xmin_bound), xmax_bound);
  }
  return (xmin_bound + xmax_bound) / 2;
}

/**
 * Finds a step t along d from x satisfying the strong Wolfe conditions (c1, c2): returns the loss
 * and flat gradient there, t and the number of evaluations.
 */
export function* strongWolfe(obj: Objective, x: Tensor[], t: number, d: Tensor, f: number, g: Tensor, gtd: number,
  c1 = 1e-4, c2 = 0.9, tolerance_change = 1e-9, max_ls = 25): Generator<Need, [number, Tensor, number, number], any> {
  const d_norm: number = yield d.abs().max();
  g = g.clone();
  // evaluate the objective and gradient at the initial step
  let [f_new, g_new] = yield* obj(x, t, d);
  let ls_func_evals = 1;
  let gtd_new: number = yield g_new.dot(d);

  // bracket an interval containing a point satisfying the Wolfe criteria
  let t_prev = 0, f_prev = f, g_prev = g, gtd_prev = gtd;
  let done = false;
  let ls_iter = 0;
  let bracket: number[] = [], bracket_f: number[] = [], bracket_g: Tensor[] = [], bracket_gtd: number[] = [];
  while (ls_iter < max_ls) {
    if (f_new > f + c1 * t * gtd || (ls_iter > 1 && f_new >= f_prev)) {
      bracket = [t_prev, t]; bracket_f = [f_prev, f_new]; bracket_g = [g_prev, g_new.clone()]; bracket_gtd = [gtd_prev, gtd_new];
      break;
    }
    if (Math.abs(gtd_new) <= -c2 * gtd) {
      bracket = [t]; bracket_f = [f_new]; bracket_g = [g_new];
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bracket = [t_prev, t]; bracket_f = [f_prev, f_new]; bracket_g = [g_prev, g_new.clone()]; bracket_gtd = [gtd_prev, gtd_new];
      break;
    }
    // interpolate
    const min_step = t + 0.01 * (t - t_prev);
    const max_step = t * 10;
    const tmp = t;
    t = cubicInterpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, [min_step, max_step]);
    // next step
    t_prev = tmp; f_prev = f_new; g_prev = g_new.clone(); gtd_prev = gtd_new;
    [f_new, g_new] = yield* obj(x, t, d);
    ls_func_evals += 1;
    gtd_new = yield g_new.dot(d);
    ls_iter += 1;
  }
  // reached the maximum number of iterations?
  if (ls_iter === max_ls) { bracket = [0, t]; bracket_f = [f, f_new]; bracket_g = [g, g_new]; }

  // zoom: refine the bracket until a point satisfies the criteria
  let insuf_progress = false;
  let [low_pos, high_pos] = bracket_f[0] <= bracket_f[bracket_f.length - 1] ? [0, 1] : [1, 0];
  while (!done && ls_iter < max_ls) {
    // the bracket is too small
    if (Math.abs(bracket[1] - bracket[0]) * d_norm < tolerance_change) break;
    t = cubicInterpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]);
    // t too close to a boundary (or outside) after insufficient progress: move it 0.1·width inside
    const hi = Math.max(...bracket), lo = Math.min(...bracket);
    const eps = 0.1 * (hi - lo);
    if (Math.min(hi - t, t - lo) < eps) {
      if (insuf_progress || t >= hi || t <= lo) {
        t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
        insuf_progress = false;
      } else insuf_progress = true;
    } else insuf_progress = false;

    [f_new, g_new] = yield* obj(x, t, d);
    ls_func_evals += 1;
    gtd_new = yield g_new.dot(d);
    ls_iter += 1;

    if (f_new > f + c1 * t * gtd || f_new >= bracket_f[low_pos]) {
      // Armijo condition not met, or not lower than the lowest point
      bracket[high_pos] = t; bracket_f[high_pos] = f_new; bracket_g[high_pos] = g_new.clone(); bracket_gtd[high_pos] = gtd_new;
      [low_pos, high_pos] = bracket_f[0] <= bracket_f[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtd_new) <= -c2 * gtd) done = true; // the Wolfe conditions hold
      else if (gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0) {
        // the old high becomes the new low
        bracket[high_pos] = bracket[low_pos]; bracket_f[high_pos] = bracket_f[low_pos];
        bracket_g[high_pos] = bracket_g[low_pos]; bracket_gtd[high_pos] = bracket_gtd[low_pos];
      }
      // the new point becomes the new low
      bracket[low_pos] = t; bracket_f[low_pos] = f_new; bracket_g[low_pos] = g_new.clone(); bracket_gtd[low_pos] = gtd_new;
    }
  }
  return [bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals];
}
