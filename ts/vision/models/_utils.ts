// Shared pieces of the model builders: the `weights` option and torchvision's _make_divisible.

/** Options every builder takes, as torchvision's keyword-only `weights` and `progress`. */
export interface BuilderOpts { weights?: null; progress?: boolean }

/**
 * torchvision downloads `weights`; webtorch cannot (no network, no weight files shipped), so only
 * `weights: null` (the default, random initialization) is accepted. Load a checkpoint with
 * torch.load + load_state_dict instead.
 */
export function checkWeights(builder: string, weights: unknown): void {
  if (weights != null) {
    throw new Error(`${builder}: pretrained weights are not downloaded by webtorch; build with weights=null and load a torchvision checkpoint with model.load_state_dict(torch.load(bytes))`);
  }
}

/** Splits builder options into the model's keyword arguments (weights and progress removed). */
export function modelKwargs<T extends BuilderOpts>(builder: string, opts: T): Omit<T, 'weights' | 'progress'> {
  const { weights, progress, ...rest } = opts;
  void progress;
  checkWeights(builder, weights);
  return rest;
}

/** torchvision's _make_divisible: v rounded to a multiple of divisor, not below 90% of v. */
export function makeDivisible(v: number, divisor: number, min_value: number | null = null): number {
  const min = min_value ?? divisor;
  let nv = Math.max(min, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (nv < 0.9 * v) nv += divisor;
  return nv;
}
