// nn.Parameter: a Tensor that a Module registers as a parameter when assigned to one of its
// properties. It shares the storage of the tensor it wraps, requires grad by default, and is
// never disposed by torch.scope (scopes only collect what their body created, and parameters
// are kept).
import { Tensor } from '../tensor.js';
import { keep } from '../memory.js';

export class Parameter extends Tensor {
  constructor(data?: Tensor, requires_grad = true) {
    const src = data ?? Tensor._fromData(new Float32Array(0), 'float32', [0]);
    super(src._storage, src.shape, src._strides, src._offset);
    keep(this);
    if (requires_grad) this.requires_grad_(true);
  }
  override toString(): string { return `Parameter containing:\n${super.toString()}`; }

}

export function isParameter(x: unknown): x is Parameter { return x instanceof Parameter; }
