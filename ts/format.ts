// PyTorch-style repr: tensor([[1., 2.], [3., 4.]], requires_grad=True). Installs Tensor's
// toString (and Node's util.inspect form).
import type { Tensor } from './tensor.js';
import { numel } from './shape.js';
import { installMethods } from './ops/methods.js';

const EDGE = 3, THRESHOLD = 1000;

function formatter(vals: number[], floating: boolean, isBool: boolean): (v: number) => string {
  if (isBool) return (v) => (v ? 'True' : 'False');
  if (!floating) return (v) => String(v);
  const finite = vals.filter((v) => Number.isFinite(v));
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  if (finite.every((v) => Number.isInteger(v))) {
    const big = finite.some((v) => Math.abs(v) >= 1e8);
    return (v) => (!Number.isFinite(v) ? special(v) : big ? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2') : `${v}.`);
  }
  const abs = finite.map(Math.abs).filter((v) => v > 0);
  const mx = abs.length ? Math.max(...abs) : 0, mn = abs.length ? Math.min(...abs) : 0;
  const sci = mx >= 1e8 || (mn > 0 && mn < 1e-4) || (mn > 0 && mx / mn > 1000);
  return (v) => {
    if (!Number.isFinite(v)) return special(v);
    return sci ? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2') : v.toFixed(4);
  };
}

export function formatTensor(t: Tensor): string {
  if (t.is_disposed) return 'tensor(<disposed>)';
  const data = Array.from(t.dataSync() as ArrayLike<number>);
  const floating = t.dtype === 'float32' || t.dtype === 'float64';
  const summarize = numel(t.shape) > THRESHOLD;
  const fmt = formatter(data, floating, t.dtype === 'bool');
  const strs = data.map(fmt);
  const width = Math.max(0, ...strs.map((s) => s.length));
  const pad = (s: string) => s.padStart(width);
  const strides: number[] = [];
  let acc = 1;
  for (let i = t.ndim - 1; i >= 0; i--) { strides[i] = acc; acc *= t.shape[i]; }
  const indent = 'tensor('.length;
  const rec = (dim: number, off: number): string => {
    if (dim === t.ndim) return pad(strs[off]);
    const n = t.shape[dim];
    const idx = summarize && n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
    const parts = idx.map((i) => (i < 0 ? '...' : rec(dim + 1, off + i * strides[dim])));
    if (dim === t.ndim - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(t.ndim - dim - 1) + ' '.repeat(indent + dim + 1);
    return `[${parts.join(sep)}]`;
  };
  let body = t.ndim === 0 ? strs[0] : rec(0, 0);
  const extras: string[] = [];
  if (numel(t.shape) === 0 && t.ndim > 1) extras.push(`size=(${t.shape.join(', ')}${t.ndim === 1 ? ',' : ''})`);
  if (t.dtype === 'float64' || t.dtype === 'uint8') extras.push(`dtype=torch.${t.dtype}`);
  if (t.grad_fn) extras.push(`grad_fn=<${t.grad_fn.name}>`);
  else if (t.requires_grad) extras.push('requires_grad=True');
  if (numel(t.shape) === 0 && t.ndim === 1) body = '[]';
  return `tensor(${body}${extras.length ? ', ' + extras.join(', ') : ''})`;
}

declare module './tensor.js' {
  interface Tensor {
    /** PyTorch's repr */
    toString(): string;
  }
}

installMethods({
  toString: formatTensor,
  // Node's console.log and util.inspect
  [Symbol.for('nodejs.util.inspect.custom')]: formatTensor,
});
