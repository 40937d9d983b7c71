// One benchmark row for a model's training step, webtorch beside PyTorch 1-thread: the median ms
// per step (and the best), or a note saying what is missing or what failed.
import { measureSteps } from './timing.mjs';
import { errNote } from './context.mjs';

/** Names in `need` (label -> value) that are not functions: what webtorch lacks for the step. */
export const missingOf = (need) => Object.entries(need).filter(([, v]) => typeof v !== 'function').map(([k]) => k);

/**
 * ctx: the section context; label: the row's name; need(torch): what the step uses (label -> value);
 * makeStep(torch): a function running one step; python: the bench/python/ref.py spec; tfjs: the note on TF.js.
 */
export function trainStepRow(ctx, { label, need, makeStep, python, tfjs }) {
  const torch = ctx.torch;
  const r = ctx.row(label, 'ms', false);
  const steps = ctx.quick ? 5 : 15;
  if (!torch) r.notes.push(`webtorch: ${ctx.torchNote}`);
  else {
    const missing = missingOf(need(torch));
    if (missing.length) r.notes.push(`webtorch: not implemented yet: ${missing.join(', ')}`);
    else {
      try {
        const m = measureSteps(makeStep(torch), { steps, budgetMs: 25000 });
        r.webtorch = m.median * 1e3; r.extra.webtorch_best = m.best * 1e3;
      } catch (e) { r.notes.push(errNote('webtorch', e)); }
    }
  }
  const p = ctx.runPython({ ...python, steps });
  if (p.ok) { r.pytorch = p.median * 1e3; r.extra.pytorch_best = p.best * 1e3; } else r.notes.push(p.error);
  r.notes.push(tfjs);
  return r;
}
