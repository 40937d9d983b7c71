// torch.autograd.gradcheck: compares the analytical Jacobian (from backward) with central finite
// differences, in float64, as PyTorch does. gradgradcheck does the same for the gradient itself.
import { Tensor } from '../tensor.js';
import { no_grad, enable_grad } from './grad_mode.js';
import { runBackward } from './engine.js';
import { zeros, randn } from '../creation.js';

export interface GradcheckOpts { eps?: number; atol?: number; rtol?: number; raise_exception?: boolean; nondet_tol?: number }

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];
const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

function outputsOf(fn: Fn, xs: Tensor[]): Tensor[] {
  return asList(fn(...xs)).filter((o) => o instanceof Tensor && (o.dtype === 'float64' || o.dtype === 'float32'));
}

export function gradcheck(fn: Fn, inputs: Tensor | Tensor[], opts: GradcheckOpts = {}): boolean {
  const eps = opts.eps ?? 1e-6, atol = opts.atol ?? 1e-5, rtol = opts.rtol ?? 1e-3;
  const xs = asList(inputs);
  const diffIdx = xs.map((x, i) => (x instanceof Tensor && x.requires_grad ? i : -1)).filter((i) => i >= 0);
  if (!diffIdx.length) throw new Error('gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.');
  for (const i of diffIdx) {
    if (xs[i].dtype !== 'float64') console.warn(`gradcheck: input ${i} is ${xs[i].dtype}, not float64; the check may fail from rounding.`);
  }
  const outs = outputsOf(fn, xs);
  const fail = (msg: string): boolean => { if (opts.raise_exception === false) return false; throw new Error(msg); };

  for (let oi = 0; oi < outs.length; oi++) {
    const out = outs[oi];
    const nOut = out.numel();
    for (const ii of diffIdx) {
      const x = xs[ii];
      const nIn = x.numel();
      // numerical Jacobian [nIn, nOut]
      const numerical: number[][] = [];
      const base = no_grad(() => x.detach().clone());
      const flat = base.dataSync();
      for (let j = 0; j < nIn; j++) {
        const orig = flat[j];
        const run = (v: number): Float64Array => {
          const d = Float64Array.from(flat as ArrayLike<number>); d[j] = v;
          const xp = Tensor._fromData(x.dtype === 'float64' ? d : Float32Array.from(d), x.dtype, x.shape);
          const args = xs.map((a, k) => (k === ii ? xp : a));
          return Float64Array.from(no_grad(() => outputsOf(fn, args)[oi]).dataSync() as ArrayLike<number>);
        };
        const plus = run(orig + eps), minus = run(orig - eps);
        numerical.push(Array.from(plus, (p, k) => (p - minus[k]) / (2 * eps)));
      }
      // analytical Jacobian via one backward per output element
      const analytical: number[][] = Array.from({ length: nIn }, () => new Array(nOut).fill(0));
      for (let k = 0; k < nOut && out.requires_grad; k++) {
        const go = zeros(out.shape, { dtype: out.dtype });
        go._bytes()[k] = 1;
        const [g] = runBackward([out], [go], { retain_graph: true, inputs: [x], allow_unused: true });
        if (g) { const gd = g.contiguous().dataSync(); for (let j = 0; j < nIn; j++) analytical[j][k] = gd[j]; }
      }
      for (let j = 0; j < nIn; j++) {
        for (let k = 0; k < nOut; k++) {
          const a = analytical[j][k], n = numerical[j][k];
          if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n))) {
            return fail(`Jacobian mismatch for output ${oi} with respect to input ${ii},\nnumerical:${n}\nanalytical:${a}\n(at input element ${j}, output element ${k})`);
          }
        }
      }
    }
  }
  return true;
}

/** Checks second derivatives: gradcheck of (inputs, grad_outputs) -> grad(fn(inputs), inputs, grad_outputs). */
export function gradgradcheck(fn: Fn, inputs: Tensor | Tensor[], opts: GradcheckOpts = {}): boolean {
  const xs = asList(inputs);
  const outs = outputsOf(fn, xs);
  const gos = outs.map((o) => randn(o.shape, { dtype: o.dtype, requires_grad: true }));
  const diff = xs.filter((x) => x.requires_grad);
  const n = xs.length;
  const f2 = (...args: Tensor[]): Tensor[] => enable_grad(() => {
    // finite differences call this under no_grad with plain copies: re-attach them
    const ins = args.slice(0, n).map((x, i) => (xs[i].requires_grad && !x.requires_grad ? x.detach().requires_grad_() : x));
    const g = args.slice(n);
    const o = outputsOf(fn, ins);
    const d = ins.filter((_, i) => xs[i].requires_grad);
    const r = runBackward(o, g, { create_graph: true, retain_graph: true, inputs: d, allow_unused: true });
    return r.map((t, i) => t ?? zeros(diff[i].shape, { dtype: diff[i].dtype }));
  });
  return gradcheck(f2, [...xs, ...gos], opts);
}
