import type { DeviceType } from '../backend/storage.js';
// Graph nodes (grad_fn) and the context a Function's forward and backward share.
import type { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';

let seqCounter = 0;

export class SavedTensor {
  readonly version: number;
  constructor(readonly tensor: Tensor | null, readonly isOutput: boolean) {
    this.version = tensor ? tensor._storageVersion() : 0;
  }
}

/** ctx of a Function: save_for_backward, saved_tensors, needs_input_grad and free attributes. */
export class FunctionCtx {
  /** which positional inputs of forward need a gradient */
  needs_input_grad: boolean[] = [];
  _saved: SavedTensor[] = [];
  _node: Node | null = null;
  _released = false;
  // Functions keep free attributes on ctx, as in PyTorch
  [attr: string]: unknown;

  _nonDifferentiable?: Set<Tensor>;
  /** outputs that get no gradient (e.g. indices) */
  mark_non_differentiable(...ts: Tensor[]): void {
    this._nonDifferentiable = new Set([...(this._nonDifferentiable ?? []), ...ts]);
  }

  save_for_backward(...tensors: (Tensor | null | undefined)[]): void {
    this._saved = tensors.map((t) => new SavedTensor(t ?? null, false));
  }

  get saved_tensors(): Tensor[] {
    if (this._released) {
      throw new Error('Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
        'Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). ' +
        'Specify retain_graph=true if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.');
    }
    return this._saved.map((s, i) => {
      const t = s.tensor;
      // a disposed saved tensor (or the tensor a saved view was taken of) makes the gradient untrustworthy
      if (t && (t.is_disposed || t._base?.is_disposed)) throw savedDisposedError(this._node?.name ?? 'backward', t);
      if (t && t._storageVersion() !== s.version) {
        const node = this._node?.name ?? 'the graph';
        throw new Error('one of the variables needed for gradient computation has been modified by an inplace operation: ' +
          `[${t.typeName()} [${t.shape.join(', ')}]], which is saved tensor ${i} of ${node}, is at version ${t._storageVersion()}; ` +
          `expected version ${s.version} instead. Hint: the backtrace further above can show the operation that failed to compute its gradient.`);
      }
      return t as Tensor;
    });
  }
}

/** The error backward raises when a tensor it saved was disposed before backward ran. */
export function savedDisposedError(node: string, t: { shape: readonly number[]; dtype: DType }): Error {
  return new Error(`${node}: a tensor saved for backward (shape [${t.shape.join(', ')}], ${t.dtype}) was disposed before backward; ` +
    'its gradient cannot be computed. Keep tensors the graph saved alive until backward() has run ' +
    '(dispose them after backward, or run the forward and backward in the same torch.scope).');
}

export type Edge = { node: Node; nr: number } | null;
export type BackwardFn = (ctx: FunctionCtx, ...grads: Tensor[]) => (Tensor | null | undefined)[] | Tensor | null | undefined;
export type Hook = (grad: Tensor) => Tensor | void | undefined;

export interface InputMeta { shape: number[]; dtype: DType; device: DeviceType }

export class Node {
  readonly seq = seqCounter++;
  /** hooks on the gradients of this node's outputs (registered through non-leaf tensors) */
  outputHooks: Hook[][] = [];
  /** non-leaf tensors that asked for retain_grad(), per output */
  retained: (Tensor | null)[] = [];
  /** AccumulateGrad nodes hold their leaf */
  variable: Tensor | null = null;

  constructor(
    readonly name: string,
    readonly next: Edge[],
    readonly inputMeta: (InputMeta | null)[],
    readonly ctx: FunctionCtx | null,
    readonly backwardFn: BackwardFn | null,
    readonly outputMeta: InputMeta[],
  ) {
    if (ctx) ctx._node = this;
  }

  /** PyTorch's next_functions: [node, input_nr] pairs */
  get next_functions(): [Node | null, number][] {
    return this.next.map((e) => (e ? [e.node, e.nr] : [null, 0]));
  }

  name_(): string { return this.name; }
  toString(): string { return `<${this.name} object>`; }

  /** register_hook on a grad_fn: fn(grad_inputs, grad_outputs) is not supported in JS form; use tensor hooks */
  release(): void {
    if (this.ctx) { this.ctx._saved = []; this.ctx._released = true; }
  }
}

export function accumulateGradNode(leaf: Tensor): Node {
  const n = new Node('AccumulateGrad', [], [], null, null, [{ shape: [...leaf.shape], dtype: leaf.dtype, device: leaf.device.type }]);
  n.variable = leaf;
  return n;
}
