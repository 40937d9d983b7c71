// torch.einsum(equation, *operands): subscripts with '...' broadcasting, repeated subscripts as
// diagonals, implicit output (the subscripts seen once, sorted). Operands are contracted
// pairwise, left to right, each pair as one batched matrix product.
import type { Tensor } from '../tensor.js';
import { checkTensor } from './pointwise.js';
import { diagonal } from './diagonal.js';

type Label = string; // a letter, or '#k' for the k-th ellipsis dim (right-aligned)

interface Term { x: Tensor; labels: Label[] }

function parseTerm(sub: string, i: number | 'output'): { letters: string[]; ellipsisAt: number } {
  const letters: string[] = [];
  let ellipsisAt = -1;
  for (let k = 0; k < sub.length; k++) {
    const c = sub[k];
    if (c === '.') {
      if (ellipsisAt >= 0 || sub.slice(k, k + 3) !== '...') throw new SyntaxError(`einsum(): found '.' for ${i === 'output' ? 'output' : `operand ${i}`} that is not part of any ellipsis`);
      ellipsisAt = letters.length; k += 2;
    } else if (/[a-zA-Z]/.test(c)) letters.push(c);
    else throw new SyntaxError(`einsum(): invalid subscript given at index ${k} in the equation string, subscripts must be in [a-zA-Z]`);
  }
  return { letters, ellipsisAt };
}

/** torch.einsum(equation, *operands) or einsum(equation, [operands]) */
export function einsum(equation: string, ...args: (Tensor | Tensor[])[]): Tensor {
  const ops = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as Tensor[];
  if (typeof equation !== 'string') throw new TypeError(`einsum(): argument 'equation' must be str, not ${typeof equation}`);
  ops.forEach((t) => checkTensor('einsum', t));
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const subs = lhs.split(',');
  if (subs.length < ops.length) throw new RangeError('einsum(): more operands were provided than specified in the equation');
  if (subs.length > ops.length) throw new RangeError('einsum(): fewer operands were provided than specified in the equation');
  if (!ops.length) throw new RangeError('einsum(): must provide at least one operand');

  // subscripts per operand, with the ellipsis expanded to right-aligned '#k' labels
  const parsed = subs.map((s, i) => parseTerm(s, i));
  const ellipsisDims = parsed.map((p, i) => {
    const k = ops[i].ndim - p.letters.length;
    if (p.ellipsisAt < 0 && k !== 0 || k < 0) {
      throw new RangeError(`einsum(): the number of subscripts in the equation (${p.letters.length}) ${p.ellipsisAt < 0 ? 'does not match' : 'is more than'} the number of dimensions (${ops[i].ndim}) for operand ${i}${p.ellipsisAt < 0 ? ' and no ellipsis was given' : ''}`);
    }
    return k;
  });
  const E = Math.max(0, ...ellipsisDims);
  const ell = (k: number): Label[] => Array.from({ length: k }, (_, j) => `#${E - k + j}`);
  let terms: Term[] = parsed.map((p, i) => ({
    x: ops[i],
    labels: p.ellipsisAt < 0 ? [...p.letters] : [...p.letters.slice(0, p.ellipsisAt), ...ell(ellipsisDims[i]), ...p.letters.slice(p.ellipsisAt)],
  }));

  // the output subscripts
  let out: Label[];
  if (arrow >= 0) {
    const o = parseTerm(eq.slice(arrow + 2), 'output');
    const seen = new Set(terms.flatMap((t) => t.labels));
    for (const l of o.letters) {
      if (!seen.has(l)) throw new RangeError(`einsum(): output subscript ${l} does not appear in the equation for any input operand`);
      if (o.letters.indexOf(l) !== o.letters.lastIndexOf(l)) throw new RangeError(`einsum(): output subscript ${l} appears more than once in the output`);
    }
    out = o.ellipsisAt < 0 ? o.letters : [...o.letters.slice(0, o.ellipsisAt), ...ell(E), ...o.letters.slice(o.ellipsisAt)];
  } else {
    const count = new Map<Label, number>();
    for (const t of terms) for (const l of t.labels) if (!l.startsWith('#')) count.set(l, (count.get(l) ?? 0) + 1);
    out = [...ell(E), ...[...count].filter(([, c]) => c === 1).map(([l]) => l).sort()];
  }

  // repeated subscripts within an operand: take the diagonal
  terms = terms.map(({ x, labels }, op) => {
    for (;;) {
      const i = labels.findIndex((l, k) => labels.indexOf(l) !== k);
      if (i < 0) return { x, labels };
      const j = labels.indexOf(labels[i]);
      if (x.shape[i] !== x.shape[j]) throw new RangeError(`einsum(): subscript ${labels[i]} is repeated for operand ${op} but the sizes don't match, ${x.shape[i]} != ${x.shape[j]}`);
      x = diagonal(x, 0, j, i);
      labels = [...labels.filter((_, k) => k !== i && k !== j), labels[i]];
    }
  });

  // one size per subscript; size-1 dims broadcast
  const size = new Map<Label, number>();
  terms.forEach(({ x, labels }, i) => labels.forEach((l, k) => {
    const s = x.shape[k], prev = size.get(l);
    if (prev === undefined || prev === 1) size.set(l, s);
    else if (s !== 1 && s !== prev) throw new RangeError(`einsum(): subscript ${l.startsWith('#') ? '...' : l} has size ${s} for operand ${i} which does not broadcast with previously seen size ${prev}`);
  }));

  const keepAfter = (i: number): Set<Label> => new Set([...out, ...terms.slice(i + 1).flatMap((t) => t.labels)]);
  const sumOut = (t: Term, keep: Set<Label>): Term => {
    const dims = t.labels.map((l, k) => (keep.has(l) ? -1 : k)).filter((k) => k >= 0);
    return dims.length ? { x: t.x.sum(dims), labels: t.labels.filter((l) => keep.has(l)) } : t;
  };
  const expandTo = (t: Term, labels: Label[]): Tensor => t.x.permute(labels.map((l) => t.labels.indexOf(l))).expand(labels.map((l) => size.get(l)!));

  let cur = sumOut(terms[0], new Set([...keepAfter(0)]));
  for (let i = 1; i < terms.length; i++) {
    const keep = keepAfter(i);
    let next = terms[i];
    cur = sumOut(cur, new Set([...keep, ...next.labels]));
    next = sumOut(next, new Set([...keep, ...cur.labels]));
    const both = cur.labels.filter((l) => next.labels.includes(l));
    const batch = both.filter((l) => keep.has(l)), contract = both.filter((l) => !keep.has(l));
    const left = cur.labels.filter((l) => !both.includes(l)), right = next.labels.filter((l) => !both.includes(l));
    const n = (ls: Label[]) => ls.reduce((p, l) => p * size.get(l)!, 1);
    const A = expandTo(cur, [...batch, ...left, ...contract]).reshape([n(batch), n(left), n(contract)]);
    const B = expandTo(next, [...batch, ...contract, ...right]).reshape([n(batch), n(contract), n(right)]);
    const labels = [...batch, ...left, ...right];
    cur = { x: A.matmul(B).reshape(labels.map((l) => size.get(l)!)), labels };
  }
  cur = sumOut(cur, new Set(out));
  return cur.x.permute(out.map((l) => cur.labels.indexOf(l)));
}
