// Autograd behaviour, as in PyTorch: leaves and grad_fn, accumulation, retain_graph, grad(),
// higher order, grad mode, hooks, in-place safety, custom Function, Variable and memory release.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';

const T = (v: unknown, o: Record<string, unknown> = {}) => torch.tensor(v as number[], { dtype: 'float32', ...o });
const list = (t: Tensor | null) => t!.tolistSync() as number[];
const close = (a: number[], b: number[], tol = 1e-5) => a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(tol));

describe('leaves and gradients', () => {
  it('requires_grad at creation and by requires_grad_()', () => {
    const a = T([1, 2], { requires_grad: true });
    const b = T([1, 2]).requires_grad_();
    expect(a.requires_grad && b.requires_grad).toBe(true);
    expect(a.is_leaf).toBe(true);
    const c = a.mul(b);
    expect(c.is_leaf).toBe(false);
    expect(c.grad_fn!.name).toBe('MulBackward0');
    expect(a.add(1).grad_fn!.name).toBe('AddBackward0');
    expect(a.sum().grad_fn!.name).toBe('SumBackward0');
    expect(a.view(2, 1).grad_fn!.name).toBe('ViewBackward0');
    expect(a.reshape(2, 1).mm(T([[1, 2]])).grad_fn!.name).toBe('MmBackward0');
    expect(String(a.exp())).toMatch(/grad_fn=<ExpBackward0>/);
    expect(c.grad_fn!.next_functions.map(([n]) => n!.name)).toEqual(['AccumulateGrad', 'AccumulateGrad']);
  });

  it('integer tensors cannot require grad', () => {
    expect(() => torch.tensor([1, 2]).requires_grad_()).toThrow(/only Tensors of floating point/);
    expect(() => torch.zeros([2], { dtype: 'int32', requires_grad: true })).toThrow(/floating point/);
  });

  it('gradients accumulate until zeroed', () => {
    const w = T([1, 2, 3], { requires_grad: true });
    w.mul(2).sum().backward();
    w.mul(3).sum().backward();
    expect(list(w.grad)).toEqual([5, 5, 5]);
    w.grad!.zero_();
    w.mul(w).sum().backward();
    expect(list(w.grad)).toEqual([2, 4, 6]);
    w.grad = null;
    w.sum().backward();
    expect(list(w.grad)).toEqual([1, 1, 1]);
  });

  it('a tensor used twice gets the sum of both paths', () => {
    const x = T([2], { requires_grad: true });
    const y = x.mul(x).add(x.mul(3));
    y.sum().backward();
    expect(list(x.grad)).toEqual([7]);
  });
});

describe('backward', () => {
  it('needs a gradient for non-scalars, of the right shape', () => {
    const x = T([1, 2], { requires_grad: true });
    const y = x.mul(2);
    expect(() => y.backward()).toThrow(/grad can be implicitly created only for scalar outputs/);
    expect(() => y.backward(T([1, 1, 1]))).toThrow(/Mismatch in shape/);
    y.backward(T([1, 10]));
    expect(list(x.grad)).toEqual([2, 20]);
  });

  it('retain_graph allows a second backward; without it a clear error', () => {
    const x = T([1, 2], { requires_grad: true });
    const y = x.exp().sum();
    y.backward(null, { retain_graph: true });
    y.backward();
    close(list(x.grad), [2 * Math.E, 2 * Math.E ** 2], 1e-4);
    expect(() => y.backward()).toThrow(/Trying to backward through the graph a second time/);
  });

  it('backward on something that does not require grad', () => {
    expect(() => T([1]).sum().backward()).toThrow(/does not require grad/);
  });

  it('broadcast gradients sum back to the input shape', () => {
    const a = T([[1], [2]], { requires_grad: true });
    const b = T([1, 2, 3], { requires_grad: true });
    a.mul(b).sum().backward();
    expect(a.grad!.shape).toEqual([2, 1]);
    expect(list(a.grad)).toEqual([[6], [6]] as never);
    expect(list(b.grad)).toEqual([3, 3, 3]);
  });

  it('ops with a zero gradient give zeros even for inf upstream gradients, as PyTorch', () => {
    const x = T([1.5, -2.5], { requires_grad: true });
    x.floor().backward(T([Infinity, NaN]));
    expect(list(x.grad)).toEqual([0, 0]);
  });

  it('mixed dtypes: gradients come back in each input dtype', () => {
    const a = torch.tensor([1, 2], { dtype: 'float64', requires_grad: true });
    const b = T([3, 4], { requires_grad: true });
    a.mul(b).sum().backward();
    expect(a.grad!.dtype).toBe('float64');
    expect(b.grad!.dtype).toBe('float32');
  });
});

describe('split and chunk', () => {
  it('all pieces come from one SplitBackward0 node, whose backward is one cat (unused pieces read as zeros)', () => {
    const x = T([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]], { requires_grad: true });
    const [a, b, c] = x.chunk(3, 1);
    expect(a.grad_fn!.name).toBe('SplitBackward0');
    expect(b.grad_fn).toBe(a.grad_fn);
    expect(x.split([1, 5], 1)[1].grad_fn!.name).toBe('SplitWithSizesBackward0');
    a.mul(2).add(c.mul(c)).sum().backward();
    expect(x.grad!.tolistSync()).toEqual([[2, 2, 0, 0, 10, 12], [2, 2, 0, 0, 22, 24]]);
    expect(b._base).toBe(x);
  });

  it('an in-place op on a piece moves the gradient through its base, as for any view (PyTorch refuses the write)', () => {
    const x = T([1, 2, 3, 4], { requires_grad: true });
    const y = x.mul(1);
    const [p, q] = y.chunk(2);
    p.mul_(3);
    y.mul(T([1, 10, 100, 1000])).sum().add(q.sum()).backward();
    expect(x.grad!.tolistSync()).toEqual([3, 30, 101, 1001]);
  });
});

describe('torch.autograd.grad', () => {
  it('returns gradients without touching .grad', () => {
    const x = T([1, 2, 3], { requires_grad: true });
    const y = x.pow(2).sum();
    const [g] = torch.autograd.grad(y, x);
    expect(list(g)).toEqual([2, 4, 6]);
    expect(x.grad).toBe(null);
  });

  it('grad_outputs, create_graph (double backward) and allow_unused', () => {
    const x = T([1, 2], { requires_grad: true });
    const z = T([5], { requires_grad: true });
    const y = x.pow(3);
    const [g] = torch.autograd.grad(y, x, { grad_outputs: T([1, 1]), create_graph: true });
    expect(g!.requires_grad).toBe(true);
    const [gg] = torch.autograd.grad(g!.sum(), x);
    expect(list(gg)).toEqual([6, 12]);
    expect(() => torch.autograd.grad(x.sum(), [x, z])).toThrow(/appears to not have been used/);
    const r = torch.autograd.grad(x.sum(), [x, z], { allow_unused: true });
    expect(r[1]).toBe(null);
    expect(() => torch.autograd.grad(x.sum(), T([1]))).toThrow(/does not require grad/);
  });

  it('third derivative through create_graph', () => {
    const x = T([2], { requires_grad: true });
    const [d1] = torch.autograd.grad(x.pow(4).sum(), x, { create_graph: true });
    const [d2] = torch.autograd.grad(d1!.sum(), x, { create_graph: true });
    const [d3] = torch.autograd.grad(d2!.sum(), x);
    expect(list(d3)).toEqual([48]);
  });

  it('grad w.r.t. a non-leaf', () => {
    const x = T([1, 2], { requires_grad: true });
    const h = x.mul(3);
    const [g] = torch.autograd.grad(h.pow(2).sum(), h);
    expect(list(g)).toEqual([6, 12]);
  });
});

describe('grad mode', () => {
  it('no_grad as a scope (sync and async) and as a switch', async () => {
    const x = T([1], { requires_grad: true });
    const y = torch.no_grad(() => x.mul(2));
    expect(y.requires_grad).toBe(false);
    const z = await torch.no_grad(async () => { await Promise.resolve(); return x.mul(2); });
    expect(z.requires_grad).toBe(false);
    expect(torch.is_grad_enabled()).toBe(true);
    torch.set_grad_enabled(false);
    expect(x.mul(2).requires_grad).toBe(false);
    expect(torch.enable_grad(() => x.mul(2)).requires_grad).toBe(true);
    torch.set_grad_enabled(true);
    expect(x.mul(2).requires_grad).toBe(true);
    expect(torch.set_grad_enabled(false, () => x.mul(2)).requires_grad).toBe(false);
    expect(torch.is_grad_enabled()).toBe(true);
  });

  it('no_grad restores the mode when the function throws', () => {
    expect(() => torch.no_grad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(torch.is_grad_enabled()).toBe(true);
  });

  it('detach, detach_ and retain_grad', () => {
    const x = T([1, 2], { requires_grad: true });
    const h = x.mul(2);
    const d = h.detach();
    expect(d.requires_grad).toBe(false);
    expect(d.is_leaf).toBe(true);
    h.retain_grad();
    h.sum().backward();
    expect(list(h.grad)).toEqual([1, 1]);
    const k = x.mul(3);
    k.detach_();
    expect(k.requires_grad).toBe(false);
    expect(k.grad_fn).toBe(null);
  });
});

describe('hooks', () => {
  it('register_hook on a leaf and a non-leaf can change the gradient', () => {
    const x = T([1, 2], { requires_grad: true });
    const seen: number[][] = [];
    x.register_hook((g) => { seen.push(list(g)); });
    const h = x.mul(2);
    const handle = h.register_hook((g) => g.mul(10));
    h.sum().backward();
    expect(seen).toEqual([[20, 20]]);
    expect(list(x.grad)).toEqual([20, 20]);
    handle.remove();
    x.grad = null;
    x.mul(2).sum().backward();
    expect(list(x.grad)).toEqual([2, 2]);
  });
});

describe('in-place safety', () => {
  it('changing a saved tensor in place makes backward throw the version error', () => {
    const x = T([1, 2], { requires_grad: true });
    const y = x.exp();         // ExpBackward0 saves its result y
    const s = y.sigmoid();     // SigmoidBackward0 saves its own result, not y
    y.add_(1);
    expect(y._version).toBe(1);
    expect(() => s.sum().backward()).toThrow(/modified by an inplace operation.*ExpBackward0, is at version 1; expected version 0/);
    const a = x.mul(1);
    const b = a.pow(2);        // saves a
    a.mul_(3);
    expect(() => b.sum().backward()).toThrow(/modified by an inplace operation/);
    const c = x.mul(1);
    const d = c.add(1);        // add saves nothing: in-place on c is harmless
    c.mul_(3);
    d.sum().backward();
    expect(list(x.grad)).toEqual([1, 1]);
  });

  it('in-place on a leaf that requires grad throws', () => {
    const x = T([1, 2], { requires_grad: true });
    expect(() => x.add_(1)).toThrow(/a leaf Variable that requires grad is being used in an in-place operation/);
    torch.no_grad(() => x.add_(1));
    expect(list(x)).toEqual([2, 3]);
  });

  it('in-place on a non-leaf gives PyTorch gradients', () => {
    const x = T([1, 2, 3], { requires_grad: true });
    const y = x.mul(2);
    y.mul_(y.detach().add(1)); // y = 2x * (2x + 1) with the factor constant
    y.sum().backward();
    expect(list(x.grad)).toEqual([6, 10, 14]);
    expect(y.grad_fn!.name).toBe('MulBackward0');
  });

  it('in-place on a view rewrites the base history (CopySlices)', () => {
    const w = T([1, 2, 3], { requires_grad: true });
    const base = torch.zeros([2, 3]);
    base.select(0, 1).copy_(w.mul(2));
    expect(base.requires_grad).toBe(true);
    base.mul(T([[1, 1, 1], [1, 10, 100]])).sum().backward();
    expect(list(w.grad)).toEqual([2, 20, 200]);
  });
});

describe('custom Function', () => {
  class MyReLU extends torch.autograd.Function {
    static override forward(ctx: torch.autograd.FunctionCtx, input: Tensor): Tensor {
      ctx.save_for_backward(input);
      return input.clamp({ min: 0 });
    }
    static override backward(ctx: torch.autograd.FunctionCtx, grad_output: Tensor): Tensor {
      const [input] = ctx.saved_tensors;
      return grad_output.masked_fill(input.lt(0), 0);
    }
  }

  it('MyReLU matches the built-in relu, forward and backward', () => {
    torch.manual_seed(1);
    const x = torch.randn([4, 5], { requires_grad: true });
    const y1 = MyReLU.apply(x) as Tensor;
    expect(y1.grad_fn!.name).toBe('MyReLUBackward');
    const g = torch.randn([4, 5]);
    y1.backward(g);
    const g1 = list(x.grad);
    x.grad = null;
    const y2 = x.relu();
    y2.backward(g);
    expect(list(y1)).toEqual(list(y2));
    expect(g1).toEqual(list(x.grad));
  });

  it('ctx.needs_input_grad and non-tensor attributes on ctx', () => {
    class ScaleBy extends torch.autograd.Function {
      static override forward(ctx: torch.autograd.FunctionCtx, x: Tensor, y: Tensor, k: number) {
        ctx.k = k;
        ctx.flags = [...ctx.needs_input_grad];
        ctx.save_for_backward(x, y);
        return x.mul(y).mul(k);
      }
      static override backward(ctx: torch.autograd.FunctionCtx, g: Tensor) {
        const [x, y] = ctx.saved_tensors;
        const k = ctx.k as number;
        return [ctx.needs_input_grad[0] ? g.mul(y).mul(k) : null, ctx.needs_input_grad[1] ? g.mul(x).mul(k) : null, null];
      }
    }
    const a = T([1, 2], { requires_grad: true });
    const b = T([3, 4]);
    const out = ScaleBy.apply(a, b, 10) as Tensor;
    expect((out.grad_fn!.ctx as torch.autograd.FunctionCtx).flags).toEqual([true, false, false]);
    out.sum().backward();
    expect(list(a.grad)).toEqual([30, 40]);
    expect(b.grad).toBe(null);
  });
});

describe('Variable (deprecated alias)', () => {
  it('returns a Tensor whose .grad fills after backward', () => {
    const v = torch.autograd.Variable(torch.ones([2, 2]), { requires_grad: true });
    expect(v).toBeInstanceOf(torch.Tensor);
    v.add(2).mul(3).mean().backward();
    expect(list(v.grad)).toEqual([[0.75, 0.75], [0.75, 0.75]] as never);
  });
});

describe('dynamic graphs', () => {
  it('control flow that depends on the data', () => {
    const x = T([0.5], { requires_grad: true });
    let y = x;
    let steps = 0;
    while ((y.norm().itemSync() as number) < 10) { y = y.mul(2); steps++; }
    y.sum().backward();
    expect(steps).toBe(5);
    expect(list(x.grad)).toEqual([2 ** steps]);
  });
});

describe('memory of the graph', () => {
  it('saved tensors are released when backward finishes; .grad holds no graph', () => {
    const x = T([1, 2], { requires_grad: true });
    const y = x.exp();
    const node = y.grad_fn!;
    y.sum().backward();
    expect(node.ctx!._saved.length).toBe(0);
    expect(x.grad!.grad_fn).toBe(null);
    expect(x.grad!.requires_grad).toBe(false);
  });

  it('2,000 forward/backward steps of a small MLP keep live tensors and bytes flat', () => {
    torch.manual_seed(0);
    const w1 = torch.randn([8, 16], { requires_grad: true });
    const w2 = torch.randn([16, 4], { requires_grad: true });
    const x = torch.randn([32, 8]);
    const target = torch.randn([32, 4]);
    const step = () => torch.scope(() => {
      const loss = x.matmul(w1).relu().matmul(w2).sub(target).pow(2).mean();
      loss.backward();
      torch.no_grad(() => { w1.sub_(w1.grad!.mul(0.01)); w2.sub_(w2.grad!.mul(0.01)); });
      w1.grad = null; w2.grad = null;
      return loss.itemSync();
    });
    const first = step() as number;
    for (let i = 0; i < 10; i++) step();
    const m0 = torch.memory();
    let last = first;
    for (let i = 0; i < 2000; i++) last = step() as number;
    const m1 = torch.memory();
    expect(last).toBeLessThan(first);
    expect(m1.tensors).toBe(m0.tensors);
    expect(m1.bytes).toBe(m0.bytes);
  });
});

describe('one gradient tensor for several inputs', () => {
  // A backward may return the same tensor for two inputs (lstm_cell's d gates go to both gi and
  // gh). When the first input already holds a gradient, the engine sums into it; the shared
  // tensor must still reach the second input (it used to be released by that sum).
  class Both extends torch.autograd.Function {
    static forward(_ctx: unknown, a: Tensor, b: Tensor): Tensor { return a.add(b); }
    static backward(_ctx: unknown, g: Tensor): Tensor[] { const s = g.mul(2); return [s, s]; }
  }
  it('a custom Function returning one tensor twice, the first input already with a gradient', () => {
    const x = torch.ones([3], { requires_grad: true }), y = torch.ones([3], { requires_grad: true });
    const a = x.mul(1), b = y.mul(1);
    (Both.apply(a, b) as Tensor).add(a).sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([3, 3, 3]);
    expect(Array.from(y.grad!.dataSync())).toEqual([2, 2, 2]);
  });
  it('an LSTM cell whose gate input is also used later', async () => {
    const { lstm_cell } = await import('../ts/nn/functional/rnn.js');
    const x = torch.randn([2, 8], { requires_grad: true }), w = torch.randn([2, 8], { requires_grad: true });
    const a = x.mul(1), b = w.mul(2);
    const [h] = lstm_cell(a, b, torch.zeros([2, 2]));
    h.add(a.narrow(1, 0, 2)).sum().backward();
    // d gates reach both: w's gradient is twice the gates' gradient, x's that plus the narrow's ones
    const extra = torch.zeros([2, 8]);
    extra.narrow(1, 0, 2).fill_(1);
    expect(x.grad!.sub(w.grad!.div(2)).sub(extra).abs().max().itemSync()).toBeLessThan(1e-6);
  });
});
