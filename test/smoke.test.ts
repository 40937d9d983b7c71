import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';

describe('smoke', () => {
  it('basic ops', () => {
    const a = torch.tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    const b = a.add(1).mul(a);
    expect(b.tolistSync()).toEqual([[2, 6], [12, 20]]);
    expect(a.matmul(a).tolistSync()).toEqual([[7, 10], [15, 22]]);
    console.log(String(b), String(a.sum(1)));
  });
  it('autograd', () => {
    const x = torch.tensor([1, 2, 3], { dtype: 'float32', requires_grad: true });
    const y = x.mul(x).sum();
    y.backward();
    expect(x.grad!.tolistSync()).toEqual([2, 4, 6]);
    console.log(String(y));
  });
});
