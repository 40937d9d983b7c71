// Grad mode: whether ops record the graph. A global switch (JS runs one job at a time), with
// scoped forms that restore the previous mode when the function returns or its promise settles.

let enabled = true;

export const is_grad_enabled = (): boolean => enabled;

function scoped<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    enabled = prev;
    throw e;
  }
  if (result instanceof Promise) {
    return result.finally(() => { enabled = prev; }) as T;
  }
  enabled = prev;
  return result;
}

/** `torch.no_grad(() => ...)`: runs fn (sync or async) without recording the graph. */
export function no_grad<T>(fn: () => T): T { return scoped(false, fn); }
/** `torch.enable_grad(() => ...)`: records the graph inside fn even under no_grad. */
export function enable_grad<T>(fn: () => T): T { return scoped(true, fn); }
/** `torch.set_grad_enabled(mode)` switches; `set_grad_enabled(mode, fn)` scopes. */
export function set_grad_enabled(mode: boolean): void;
export function set_grad_enabled<T>(mode: boolean, fn: () => T): T;
export function set_grad_enabled<T>(mode: boolean, fn?: () => T): T | void {
  if (fn) return scoped(mode, fn);
  enabled = !!mode;
}
/** `torch.inference_mode(fn)`: the same as no_grad here. */
export const inference_mode = no_grad;
