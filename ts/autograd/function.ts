// Function application: runs a forward without recording, then (when grad mode is on and an input
// needs a gradient) records one graph node whose backward is the given formula. Every
// differentiable op and every user-defined torch.autograd.Function goes through applyFunction.
// `attrs` (an op's non-tensor arguments, such as softmax's dim) is read only by torch.onnx.export's tracer.
import { Tensor } from '../tensor.js';
import { isFloating } from '../dtype.js';
import { is_grad_enabled, no_grad } from './grad_mode.js';
import { FunctionCtx, Node, type BackwardFn, type Edge, type InputMeta } from './node.js';
import { tracer } from '../onnx/hook.js';

export type FnOutput = Tensor | Tensor[];

export function edgeOf(t: Tensor): Edge {
  if (!t.requires_grad) return null;
  if (t.grad_fn) return { node: t.grad_fn, nr: t._output_nr };
  return { node: t._accumulator(), nr: 0 };
}

export function applyFunction<R extends FnOutput>(
  name: string,
  forward: (ctx: FunctionCtx, ...args: any[]) => R,
  backward: BackwardFn,
  args: unknown[],
  attrs?: Record<string, unknown>,
): R {
  if (tracer) return tracer.op(name, args, () => record(name, forward, backward, args), attrs) as R;
  return record(name, forward, backward, args);
}

function record<R extends FnOutput>(name: string, forward: (ctx: FunctionCtx, ...args: any[]) => R, backward: BackwardFn, args: unknown[]): R {
  const needs = is_grad_enabled() && args.some((a) => a instanceof Tensor && a.requires_grad);
  const ctx = new FunctionCtx();
  ctx.needs_input_grad = args.map((a) => needs && a instanceof Tensor && a.requires_grad);
  let out = needs ? no_grad(() => forward(ctx, ...args)) : forward(ctx, ...args);
  if (!needs) return out;
  const outs: Tensor[] = out instanceof Tensor ? [out] : out;
  for (let i = 0; i < outs.length; i++) {
    // an output that is an input object must become a new tensor (alias) to carry its own grad_fn
    if (args.includes(outs[i])) outs[i] = outs[i]._alias();
  }
  if (out instanceof Tensor) out = outs[0] as R;
  const meta: (InputMeta | null)[] = args.map((a) => (a instanceof Tensor ? { shape: [...a.shape], dtype: a.dtype, device: a.device.type } : null));
  const node = new Node(name, args.map((a) => (a instanceof Tensor ? edgeOf(a) : null)), meta, ctx, backward,
    outs.map((o) => ({ shape: [...o.shape], dtype: o.dtype, device: o.device.type })));
  outs.forEach((o, i) => {
    if (isFloating(o.dtype) && !ctx._nonDifferentiable?.has(o)) o._setHistory(node, i);
  });
  return out;
}

/**
 * torch.autograd.Function: subclass it with static forward(ctx, ...args) and
 * backward(ctx, ...grads), and call it through MyFn.apply(...args).
 */
export class Function {
  static forward(_ctx: FunctionCtx, ..._args: any[]): any {
    throw new Error(`${this.name}.forward: a torch.autograd.Function subclass must define static forward(ctx, ...args)`);
  }
  static backward(_ctx: FunctionCtx, ..._grads: Tensor[]): any {
    throw new Error(`${this.name}.backward: a torch.autograd.Function subclass must define static backward(ctx, ...grads)`);
  }
  static apply(...args: unknown[]): any {
    return applyFunction(`${this.name}Backward`, (ctx, ...a) => this.forward(ctx, ...a), (ctx, ...g) => this.backward(ctx, ...g), args);
  }
}

