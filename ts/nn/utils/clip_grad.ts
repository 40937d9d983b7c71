// torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (PyTorch 1.13): in-place on .grad, no reads
// back from the device (the scale is a tensor), except error_if_nonfinite on the CPU.
import { Tensor } from '../../tensor.js';
import { tensor } from '../../creation.js';
import { stack } from '../../ops/indexing.js';
import { norm } from '../../ops/reduce.js';
import { clamp } from '../../ops/pointwise.js';
import { no_grad } from '../../autograd/grad_mode.js';
import { needsAsyncRead } from '../../backend/move.js';

type Params = Tensor | Iterable<Tensor>;
const list = (p: Params): Tensor[] => (p instanceof Tensor ? [p] : [...p]);
const grads = (p: Params): Tensor[] => list(p).map((t) => t.grad).filter((g): g is Tensor => g !== null && g !== undefined);

export interface ClipNormOpts { norm_type?: number | 'inf'; error_if_nonfinite?: boolean; foreach?: boolean | null }

/** nn.utils.clip_grad_norm_(parameters, max_norm, { norm_type = 2, error_if_nonfinite = false }): the total norm (a 0-dim tensor). */
export function clip_grad_norm_(parameters: Params, max_norm: number, norm_type: number | 'inf' | ClipNormOpts = 2, error_if_nonfinite = false): Tensor {
  if (typeof norm_type === 'object') { error_if_nonfinite = norm_type.error_if_nonfinite ?? false; norm_type = norm_type.norm_type ?? 2; }
  const p = norm_type === 'inf' ? Infinity : Number(norm_type);
  const gs = grads(parameters);
  if (gs.length === 0) return tensor(0);
  return no_grad(() => {
    const total = p === Infinity
      ? stack(gs.map((g) => g.detach().abs().max())).max()
      : norm(stack(gs.map((g) => norm(g.detach(), p))), p);
    if (error_if_nonfinite && !needsAsyncRead(total, 'cpu')) {
      const v = Number(total.itemSync());
      if (!Number.isFinite(v))
        throw new Error(`The total norm of order ${p === Infinity ? 'inf' : Number.isInteger(p) ? p.toFixed(1) : String(p)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``);
    }
    const coef = clamp(total.add(1e-6).reciprocal().mul(max_norm), { max: 1.0 });
    for (const g of gs) g.mul_(coef.to(String(g.device)).to(g.dtype));
    return total;
  });
}

/** nn.utils.clip_grad_value_(parameters, clip_value): clamps every gradient into [-clip_value, clip_value]. */
export function clip_grad_value_(parameters: Params, clip_value: number, _foreach: boolean | null = null): void {
  const c = Number(clip_value);
  no_grad(() => { for (const g of grads(parameters)) g.clamp_(-c, c); });
}
