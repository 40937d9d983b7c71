// The tracing seam of torch.onnx.export. While an export traces a forward, `tracer` is set and
// every op (autograd's applyFunction, which each differentiable op passes through) and every
// module call reports to it; the rest of the time it costs one null check. The exporter itself
// (ts/onnx/export.ts) lives in a lazy chunk; this file only holds the slot.

/** What a tracer sees: an op by its autograd name, or a module call. Each runs `run` itself. */
export interface Tracer {
  op(name: string, args: unknown[], run: () => unknown, attrs?: Record<string, unknown>): unknown;
  module(mod: object, args: unknown[], run: () => unknown): unknown;
}

export let tracer: Tracer | null = null;

/** Installs (or, with null, removes) the active tracer. */
export function setTracer(t: Tracer | null): void { tracer = t; }
