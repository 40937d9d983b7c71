// torch.autograd: Function, grad, backward, gradcheck and the deprecated Variable.
import { Tensor } from '../tensor.js';
import { runBackward } from './engine.js';
import { ones_like } from '../creation.js';

export { Function } from './function.js';
export { FunctionCtx } from './node.js';
export { gradcheck, gradgradcheck } from './gradcheck.js';
export { no_grad, enable_grad, set_grad_enabled, is_grad_enabled } from './grad_mode.js';

const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

function defaultGrads(outputs: Tensor[], grads: (Tensor | null | undefined)[]): Tensor[] {
  return outputs.map((o, i) => {
    const g = grads[i];
    if (g) {
      if (g.shape.join() !== o.shape.join()) throw new Error(`Mismatch in shape: grad_output[${i}] has a shape of torch.Size([${g.shape.join(', ')}]) and output[${i}] has a shape of torch.Size([${o.shape.join(', ')}]).`);
      return g;
    }
    if (o.numel() !== 1) throw new Error('grad can be implicitly created only for scalar outputs');
    return ones_like(o);
  });
}

/** torch.autograd.grad(outputs, inputs, { grad_outputs, retain_graph, create_graph, allow_unused }) */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: {
  grad_outputs?: Tensor | (Tensor | null)[] | null; retain_graph?: boolean; create_graph?: boolean; allow_unused?: boolean;
} = {}): (Tensor | null)[] {
  const outs = asList(outputs), ins = asList(inputs);
  const gos = opts.grad_outputs == null ? [] : asList(opts.grad_outputs);
  return runBackward(outs, defaultGrads(outs, gos), { retain_graph: opts.retain_graph, create_graph: opts.create_graph, inputs: ins, allow_unused: opts.allow_unused });
}

/** torch.autograd.backward(tensors, grad_tensors?, { retain_graph, create_graph }) */
export function backward(tensors: Tensor | Tensor[], grad_tensors?: Tensor | (Tensor | null)[] | null, opts: { retain_graph?: boolean; create_graph?: boolean } = {}): void {
  const outs = asList(tensors);
  runBackward(outs, defaultGrads(outs, grad_tensors == null ? [] : asList(grad_tensors)), opts);
}

/**
 * Deprecated, as in PyTorch: Variable(t, { requires_grad }) returns a Tensor (sharing t's data).
 */
export function Variable(t: Tensor, opts: { requires_grad?: boolean; volatile?: boolean } = {}): Tensor {
  const v = t.detach();
  if (opts.requires_grad) v.requires_grad_(true);
  return v;
}
