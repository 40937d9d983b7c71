// The backward engine: walks the recorded graph from the roots in reverse creation order,
// runs each node's backward formula, reduces broadcast gradients to their inputs' shapes (the one
// place broadcasting's gradient is handled), and accumulates into leaves' .grad.
// It also installs the autograd methods of Tensor: backward, register_hook, retain_grad.
import { _tensorsCreated, type Tensor } from '../tensor.js';
import { shapeStr, sameShape } from '../shape.js';
import { isFloating, type DType } from '../dtype.js';
import { set_grad_enabled, no_grad } from './grad_mode.js';
import { savedDisposedError, type Node, type InputMeta, type Hook } from './node.js';
import { edgeOf } from './function.js';
import { zerosOf, sumTo, addGrads } from './grad_utils.js';
import { ones_like } from '../creation.js';
import { installMethods } from '../ops/methods.js';

export interface BackwardOptions {
  retain_graph?: boolean;
  create_graph?: boolean;
  /** autograd.grad: capture the gradients of these tensors instead of accumulating into .grad */
  inputs?: Tensor[];
  allow_unused?: boolean;
}

function validate(node: Node, i: number, g: Tensor, meta: InputMeta): Tensor {
  if (!sameShape(g.shape, meta.shape)) {
    try {
      g = sumTo(g, meta.shape);
    } catch {
      throw new Error(`Function ${node.name} returned an invalid gradient at index ${i} - got ${shapeStr(g.shape)} but expected shape compatible with ${shapeStr(meta.shape)}`);
    }
  }
  if (g.dtype !== meta.dtype) g = g.to(meta.dtype);
  return g;
}

export function runBackward(roots: Tensor[], rootGrads: Tensor[], opts: BackwardOptions): (Tensor | null)[] {
  const retain = opts.retain_graph ?? !!opts.create_graph;
  const capture = opts.inputs !== undefined;
  const buffers = new Map<Node, (Tensor | null)[]>();

  // Gradients the engine itself made are released as soon as nothing uses them (unless the graph
  // of the gradient is wanted, or user code may hold them: hooks, retain_grad, autograd.grad).
  const firstOwned = _tensorsCreated();
  const uses = new Map<Tensor, number>();
  const exposed = new Set<Tensor>();
  const hold = (t: Tensor): void => { uses.set(t, (uses.get(t) ?? 0) + 1); };
  const drop = (t: Tensor): void => {
    const n = (uses.get(t) ?? 0) - 1;
    if (n > 0) { uses.set(t, n); return; }
    uses.delete(t);
    if (!opts.create_graph && t._id >= firstOwned && !exposed.has(t)) t.dispose();
  };
  const add = (node: Node, nr: number, g: Tensor): void => {
    let b = buffers.get(node);
    if (!b) { b = []; buffers.set(node, b); }
    const old = b[nr];
    if (!old) { b[nr] = g; hold(g); return; }
    const s = addGrads(old, g);
    hold(s);
    b[nr] = s;
    drop(old);
    hold(g); drop(g);
  };

  // captured gradients for autograd.grad, keyed by (node, output_nr)
  const captureKeys = new Map<Node, Map<number, number>>();
  const captured: (Tensor | null)[] = [];
  if (capture) {
    opts.inputs!.forEach((t, i) => {
      if (!t.requires_grad) throw new Error('One of the differentiated Tensors does not require grad');
      const e = edgeOf(t)!;
      if (!captureKeys.has(e.node)) captureKeys.set(e.node, new Map());
      captureKeys.get(e.node)!.set(e.nr, i);
      captured[i] = null;
    });
  }

  return set_grad_enabled(!!opts.create_graph, () => {
    roots.forEach((r, i) => {
      const e = edgeOf(r);
      if (!e) throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`);
      add(e.node, e.nr, rootGrads[i]);
    });

    // every reachable node, in reverse creation order; leaves' AccumulateGrad nodes last
    const seen = new Set<Node>();
    const stack = [...buffers.keys()];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const e of n.next) if (e && !seen.has(e.node)) stack.push(e.node);
    }
    const order = [...seen].sort((a, b) => {
      const la = a.variable ? 1 : 0, lb = b.variable ? 1 : 0;
      return la !== lb ? la - lb : b.seq - a.seq;
    });

    for (const node of order) {
      const buf = buffers.get(node);
      buffers.delete(node);
      if (!buf || !buf.some((g) => g)) continue;
      // outputs that got no gradient read as zeros; a non-floating one (max_pool's indices) can never
      // carry a gradient, so its zeros are one element expanded, not a tensor of the output's size
      const grads = node.outputMeta.map((m, nr) => buf[nr] ?? (isFloating(m.dtype) ? zerosOf(m) : zerosOf({ ...m, shape: [] }).expand(m.shape)));
      for (let nr = 0; nr < grads.length; nr++) {
        if (node.outputHooks[nr]?.length) exposed.add(grads[nr]);
        if (!buf[nr]) hold(grads[nr]);
        for (const hook of node.outputHooks[nr] ?? []) {
          const r = hook(grads[nr]);
          if (r) grads[nr] = r;
        }
        const keep = node.retained[nr];
        if (keep) keep.grad = opts.create_graph ? grads[nr] : grads[nr].detach();
        const ci = captureKeys.get(node)?.get(nr);
        if (ci !== undefined) { captured[ci] = grads[nr]; exposed.add(grads[nr]); }
      }
      const leaf = node.variable;
      if (leaf) {
        if (leaf._hooks.length) exposed.add(buf[0] ?? grads[0]);
        if (!capture) {
          // a gradient only this leaf uses becomes its .grad without a copy
          const g = grads[0];
          const steal = !opts.create_graph && g === buf[0] && g._id >= firstOwned && uses.get(g) === 1 && !exposed.has(g) && !leaf._hooks.length;
          accumulateGrad(leaf, g, !!opts.create_graph, steal);
        }
        buf.forEach((g) => g && drop(g));
        continue;
      }
      let res: ReturnType<NonNullable<Node['backwardFn']>>;
      try {
        res = node.backwardFn!(node.ctx!, ...grads);
      } catch (e) {
        // a disposed tensor reached through a free ctx attribute: name the node, as saved_tensors does
        const m = e instanceof Error ? /^This tensor \(shape (\[[^\]]*\]), (\w+)\) has been disposed/.exec(e.message) : null;
        if (m) throw savedDisposedError(node.name, { shape: JSON.parse(m[1]) as number[], dtype: m[2] as DType });
        throw e;
      }
      const list = Array.isArray(res) ? res : [res];
      // held while they are handed on: a backward may return one tensor for several inputs
      // (lstm_cell's d gates for gi and gh), and summing it into one input's gradient must not
      // release it before the next input gets it
      for (const g of list) if (g) hold(g);
      node.next.forEach((e, i) => {
        const g = list[i];
        if (!e || !g) return;
        const v = validate(node, i, g, node.inputMeta[i]!);
        add(e.node, e.nr, v);
      });
      // this node's incoming gradients, and outputs that went nowhere, are done with
      grads.forEach((g, nr) => { if (buf[nr] && buf[nr] !== g) drop(buf[nr] as Tensor); drop(g); });
      for (const g of list) if (g) drop(g);
      if (!retain) node.release();
    }
    if (capture && !opts.allow_unused && captured.some((g) => g === null)) {
      throw new Error('One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.');
    }
    return captured;
  });
}

/** AccumulateGrad: runs the leaf's hooks, then stores or adds g as its .grad; `steal` reuses g's storage. */
function accumulateGrad(leaf: Tensor, g: Tensor, createGraph: boolean, steal = false): void {
  for (const h of leaf._hooks) {
    const r = h(g);
    if (r) g = r;
  }
  if (leaf.grad === null) {
    leaf.grad = createGraph ? g.clone() : no_grad(() => (steal && g.is_contiguous() ? g.detach() : g.detach().clone()));
  } else if (createGraph) {
    leaf.grad = leaf.grad.add(g);
  } else {
    const acc = leaf.grad;
    no_grad(() => acc.add_(g));
  }
}

// ------------------------------------------------------------------ Tensor methods
export type BackwardOpts = { retain_graph?: boolean; create_graph?: boolean; inputs?: Tensor[] };

declare module '../tensor.js' {
  interface Tensor {
    /** Computes the gradient of this tensor with respect to the graph leaves (accumulated into their .grad). */
    backward(gradient?: Tensor | null, retain_graph?: boolean | null | BackwardOpts, create_graph?: boolean, inputs?: BackwardOpts['inputs']): void;
    /** Registers fn(grad), run when this tensor's gradient is computed; it may return a replacement. */
    register_hook(hook: Hook): { remove(): void };
    /** Keeps the .grad of a non-leaf tensor after backward. */
    retain_grad(): void;
  }
}

/** PyTorch's Tensor.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None), positions or options. */
function backward(self: Tensor, gradient?: Tensor | null, retain?: boolean | null | BackwardOpts, create_graph?: boolean, inputs?: BackwardOpts['inputs']): void {
  const opts: BackwardOpts = retain !== null && typeof retain === 'object' ? retain : { retain_graph: retain ?? undefined, create_graph, inputs };
  if (!self.requires_grad) throw new Error('element 0 of tensors does not require grad and does not have a grad_fn');
  let g: Tensor;
  if (gradient == null) {
    if (self.numel() !== 1) throw new Error(`grad can be implicitly created only for scalar outputs (got shape ${shapeStr(self.shape)})`);
    g = ones_like(self);
  } else {
    if (gradient.numel() !== self.numel() || (gradient.ndim && gradient.shape.join() !== self.shape.join())) {
      throw new Error(`Mismatch in shape: grad_output[0] has a shape of torch.Size(${shapeStr(gradient.shape)}) and output[0] has a shape of torch.Size(${shapeStr(self.shape)}).`);
    }
    g = gradient.reshape(self.shape);
  }
  if (opts.inputs) {
    const inputs = opts.inputs;
    const grads = runBackward([self], [g], { ...opts, inputs, allow_unused: true });
    inputs.forEach((t, i) => { if (grads[i]) accumulateGrad(t, grads[i]!, !!opts.create_graph); });
    return;
  }
  runBackward([self], [g], opts);
}

installMethods({
  backward,
  register_hook(self, hook) {
    if (!self.requires_grad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
    if (self.grad_fn) {
      const node = self.grad_fn, nr = self._output_nr;
      (node.outputHooks[nr] ??= []).push(hook);
      return { remove: () => { const a = node.outputHooks[nr]; a.splice(a.indexOf(hook), 1); } };
    }
    self._hooks.push(hook);
    return { remove: () => { self._hooks.splice(self._hooks.indexOf(hook), 1); } };
  },
  retain_grad(self) {
    if (!self.requires_grad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
    if (!self.grad_fn) return;
    self._retainsGrad = true;
    self.grad_fn.retained[self._output_nr] = self;
  },
});
