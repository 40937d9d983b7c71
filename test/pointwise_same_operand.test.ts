// A binary op given the same tensor twice (x * x, the squares of a 2-norm) copies it into wasm
// scratch once and passes that copy as both operands (ts/backend/wasm/pointwise.ts): the results
// must be those of two separate operands, for contiguous, strided and broadcast-free views, in
// float32, float64 and int32, and the input must be left as it was.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';

describe('binary ops with one tensor as both operands', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    it(`${dtype}: mul, add, sub, pow, maximum give what two copies give`, () => {
      const base = dtype === 'int32' ? torch.randint(-50, 50, [37, 23]).to(dtype) : torch.randn([37, 23], { dtype });
      for (const x of [base, base.t(), base.slice(1, 3, 20)]) {
        const before = Array.from(x.dataSync() as ArrayLike<number>);
        const y = x.clone();
        for (const op of ['mul', 'add', 'sub', 'maximum'] as const) {
          expect(Array.from(x[op](x).dataSync() as ArrayLike<number>), `${op} ${dtype} [${x.shape}]`).toEqual(Array.from(x[op](y).dataSync() as ArrayLike<number>));
        }
        if (dtype !== 'int32') expect(Array.from(x.pow(x.abs()).dataSync() as ArrayLike<number>)).toEqual(Array.from(x.pow(y.abs()).dataSync() as ArrayLike<number>));
        expect(Array.from(x.dataSync() as ArrayLike<number>)).toEqual(before);
      }
    });
  }
  it('the 2-norm and its gradient are unchanged', () => {
    const x = torch.randn([1000], { dtype: 'float64' }).requires_grad_();
    const n = torch.norm(x);
    n.backward();
    const want = Math.sqrt((x.detach().dataSync() as Float64Array).reduce((s, v) => s + v * v, 0));
    expect(n.itemSync()).toBeCloseTo(want, 10);
    const g = x.grad!.dataSync() as Float64Array, xs = x.detach().dataSync() as Float64Array;
    for (let i = 0; i < 1000; i++) expect(g[i]).toBeCloseTo(xs[i] / want, 12);
  });
});
