// The tracing seam of torch.onnx.export. While an export traces a forward, `tracer` is set and
// every op (autograd's applyFunction, which each differentiable op passes through), every
// module call and every in-place write reports to it; the rest of the time it costs one null check. The exporter itself
// (ts/onnx/export.ts) lives in a lazy chunk; this file only holds the slot.

/** What a tracer sees: an op by its autograd name, or a module call. Each runs `run` itself. */
export interface Tracer {
  op(name: string, args: unknown[], run: () => unknown, attrs?: Record<string, unknown>): unknown;
  module(mod: object, args: unknown[], run: () => unknown): unknown;
  /** `self` now holds `src`'s values (copy_ and every in-place op write through here). */
  inplace(self: object, src: object): void;
}

export let tracer: Tracer | null = null;

/** Installs (or, with null, removes) the active tracer. */
export function setTracer(t: Tracer | null): void { tracer = t; }
