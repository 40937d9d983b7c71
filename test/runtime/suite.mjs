// A runtime-neutral test suite: plain ES2022, no imports, no Node built-ins, no test framework.
// Each runtime's entry point (test/runtime/{node,deno}.mjs, the Chromium page, the workerd worker)
// loads the torch module and the PyTorch fixtures its own way and calls these functions; they
// return plain JSON-able results, which test/runtime/run.mjs compares across runtimes.
//
//   runFixtures(torch, { core_pointwise: cases, ... })  every op and gradient against PyTorch 1.13
//   train(torch, options)                              a small MLP trained from a fixed seed
//   makeData(n, seed)                                  the training data (pure JS, no torch)
//
// The vitest suites (test/ops_fixtures.test.ts, test/nn_fixtures.test.ts, on the ts/ sources) use
// the same decoder and runCase through test/helpers/fixtures.ts, so fixtures are decoded in one place.

/** Fixture families this suite runs, in order. */
export const FAMILIES = ['core_creation', 'core_pointwise', 'core_reduce', 'core_linalg', 'core_views', 'core_index', 'nn_functional'];

// JS cannot tell 1.0 from 1: integral literals infer int32 (README, "Differences from PyTorch")
const JS_INTEGRAL_FLOATS = new Set(['full/empty', 'tensor/3d']);

class Mismatch extends Error {}
const fail = (msg) => { throw new Mismatch(msg); };

const num = (v) => (typeof v === 'string' ? (v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity) : +v);
const mapDtype = (d) => (d === 'int64' ? 'int32' : d);
const tolerance = (dtype) => (dtype === 'float64' ? { atol: 1e-10, rtol: 1e-7 } : { atol: 2e-5, rtol: 2e-4 });

/** Fixture decoding and comparison bound to one torch module. */
export function decoder(torch) {
  const toTensor = (t) => {
    const flat = t.data.map(num);
    return torch.tensor(flat.length ? flat : [], { dtype: mapDtype(t.dtype) }).reshape(t.shape);
  };
  const applyView = (x, [kind, ...a]) => {
    switch (kind) {
      case 'transpose': return x.transpose(a[0], a[1]);
      case 'permute': return x.permute(a[0]);
      case 'slice': return x.slice(a[0], a[1], a[2], a[3] ?? 1);
      case 'expand': return x.expand(a[0]);
      case 'select': return x.select(a[0], a[1]);
      case 'unsqueeze': return x.unsqueeze(a[0]);
      default: throw new Error(`unknown view step ${kind}`);
    }
  };
  const buildArg = (a) => {
    if (a === null || typeof a !== 'object') return { value: a, leaf: null };
    if (Array.isArray(a)) {
      const parts = a.map(buildArg);
      const leaves = parts.filter((p) => p.leaf && !Array.isArray(p.leaf));
      return { value: parts.map((p) => p.value), leaf: leaves.length ? parts.map((p) => p.leaf) : null };
    }
    if ('tensor' in a) {
      const base = toTensor(a.tensor);
      if (a.requires_grad) base.requires_grad_(true);
      let v = base;
      for (const step of a.view ?? []) v = applyView(v, step);
      return { value: v, leaf: base };
    }
    if ('dtype' in a && Object.keys(a).length === 1) return { value: mapDtype(a.dtype), leaf: null };
    return { value: a, leaf: null };
  };
  const R_OPS = {
    __radd__: (s, o) => torch.add(o, s), __rsub__: (s, o) => torch.sub(o, s), __rmul__: (s, o) => torch.mul(o, s),
    __rtruediv__: (s, o) => torch.div(o, s), __rpow__: (s, o) => torch.pow(o, s), __matmul__: (s, o) => torch.matmul(s, o),
  };
  const invoke = (c, args, F) => {
    const kw = {};
    for (const [k, v] of Object.entries(c.kwargs ?? {})) kw[k] = buildArg(v).value;
    const extra = Object.keys(kw).length ? [kw] : [];
    const [ns, name] = c.call.split('.');
    if (ns === 'torch') {
      const fn = torch[name];
      if (typeof fn !== 'function') throw new Error(`torch.${name} is missing`);
      return fn(...args, ...extra);
    }
    if (ns === 'F') {
      const fn = F[name];
      if (typeof fn !== 'function') throw new Error(`F.${name} is missing`);
      return fn(...args, ...extra);
    }
    const [self, ...rest] = args;
    if (R_OPS[name]) return R_OPS[name](self, rest[0]);
    const m = self[name === 'item' ? 'itemSync' : name];
    if (typeof m !== 'function') throw new Error(`Tensor.${name} is missing`);
    return m.call(self, ...rest, ...extra);
  };
  const expectTensorClose = (actual, expected, what, tol0) => {
    const tol = tol0 ?? tolerance(expected.dtype);
    if (!(actual instanceof torch.Tensor)) fail(`${what}: expected a Tensor, got ${String(actual)}`);
    if (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape)) fail(`${what}: shape ${JSON.stringify(actual.shape)}, want ${JSON.stringify(expected.shape)}`);
    if (actual.dtype !== mapDtype(expected.dtype)) fail(`${what}: dtype ${actual.dtype}, want ${mapDtype(expected.dtype)}`);
    const got = Array.from(actual.dataSync());
    const want = expected.data.map(num);
    for (let i = 0; i < want.length; i++) {
      const g = got[i], w = want[i];
      if (Number.isNaN(w)) { if (!Number.isNaN(g)) fail(`${what}[${i}]: expected nan, got ${g}`); continue; }
      if (!Number.isFinite(w)) { if (g !== w) fail(`${what}[${i}]: got ${g}, want ${w}`); continue; }
      if (!(Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w))) fail(`${what}[${i}]: got ${g}, want ${w}`);
    }
  };
  const deepEqual = (a, b) => {
    if (Object.is(a, b) || a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined), kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  };
  const expectValue = (actual, expected, what) => {
    if (expected !== null && typeof expected === 'object' && !Array.isArray(expected) && 'tensor' in expected) {
      expectTensorClose(actual, expected.tensor, what);
      return;
    }
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual)) fail(`${what}: expected a list`);
      if (actual.length !== expected.length) fail(`${what}: length ${actual.length}, want ${expected.length}`);
      expected.forEach((e, i) => expectValue(actual[i], e, `${what}[${i}]`));
      return;
    }
    if (typeof expected === 'number') {
      if (typeof actual !== 'number' && typeof actual !== 'boolean') fail(`${what}: expected a number, got ${String(actual)}`);
      if (!(Math.abs(+actual - expected) <= 2e-5 + 2e-4 * Math.abs(expected))) fail(`${what}: ${actual} vs ${expected}`);
      return;
    }
    if (!deepEqual(actual, expected)) fail(`${what}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
  };
  return { toTensor, buildArg, invoke, expectTensorClose, expectValue };
}

/** Runs one fixture case; throws a Mismatch naming what differs. */
export function runCase(torch, D, family, c, F) {
  if (JS_INTEGRAL_FLOATS.has(c.id)) {
    const out = D.invoke(c, c.args.map(D.buildArg).map((b) => b.value), F);
    D.expectTensorClose(out.to('float32'), { ...c.out.tensor, dtype: 'float32' }, 'out');
    if (out.dtype !== 'int32') fail(`out: dtype ${out.dtype}, want int32`);
    return;
  }
  const built = c.args.map(D.buildArg);
  const out = D.invoke(c, built.map((b) => b.value), F);
  D.expectValue(out, c.out, 'out');
  if (!c.grad_out || !c.grads) return;
  const y = c.grad_of !== undefined ? out[c.grad_of] : out;
  y.backward(D.toTensor(c.grad_out));
  // ops: a gradient computed through a float32 output is only float32-accurate, whatever its dtype
  const tol = family.startsWith('core_') && y.dtype === 'float32' ? tolerance('float32') : undefined;
  c.grads.forEach((g, i) => {
    const leaf = built[i].leaf;
    if (g === null) return;
    if (Array.isArray(g)) {
      g.forEach((gi, j) => { if (gi) D.expectTensorClose(leaf[j].grad, gi, `grad[${i}][${j}]`, tol); });
      return;
    }
    if (!leaf) fail(`arg ${i} has no leaf`);
    D.expectTensorClose(leaf.grad, g, `grad[${i}]`, tol);
  });
}

/**
 * Runs fixture cases: `families` maps a family name to its cases (the `cases` array of
 * test/fixtures/<name>.json). Returns { passed, failed, byFamily, failures: [{ family, id, error }] }.
 */
export function runFixtures(torch, families) {
  const D = decoder(torch);
  const F = torch.nn?.functional ?? torch;
  const res = { passed: 0, failed: 0, byFamily: {}, failures: [] };
  for (const [family, cases] of Object.entries(families)) {
    const fam = (res.byFamily[family] = { passed: 0, failed: 0 });
    for (const c of cases) {
      try {
        runCase(torch, D, family, c, F);
        fam.passed++; res.passed++;
      } catch (e) {
        fam.failed++; res.failed++;
        res.failures.push({ family, id: c.id, error: String(e?.message ?? e) });
      }
    }
  }
  return res;
}

/** Deterministic training data in plain JS (a 32-bit LCG): points in [-1, 1)², label = quadrant parity. */
export function makeData(n = 256, seed = 1) {
  let s = seed >>> 0;
  const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  const x = [], y = [];
  for (let i = 0; i < n; i++) {
    const a = rnd() * 2 - 1, b = rnd() * 2 - 1;
    x.push([a, b]);
    y.push(a * b > 0 ? 1 : 0);
  }
  return { x, y };
}

/**
 * Trains a 2-32-32-2 MLP (tanh) with Adam on { x, y } (default: makeData()) from torch.manual_seed(seed),
 * full batch, and returns { losses (every step), first, last, accuracy, ms }.
 */
export async function train(torch, { seed = 0, steps = 300, lr = 0.02, data = makeData(), every = 1 } = {}) {
  const { nn, optim } = torch;
  const t0 = Date.now();
  torch.manual_seed(seed);
  const model = new nn.Sequential(new nn.Linear(2, 32), new nn.Tanh(), new nn.Linear(32, 32), new nn.Tanh(), new nn.Linear(32, 2));
  const opt = new optim.Adam(model.parameters(), { lr });
  const lossFn = new nn.CrossEntropyLoss();
  const x = torch.tensor(data.x, { dtype: torch.float32 });
  const y = torch.tensor(data.y, { dtype: torch.int64 });
  const losses = [];
  for (let step = 0; step < steps; step++) {
    opt.zero_grad();
    const loss = lossFn.call(model.call(x), y);
    loss.backward();
    opt.step();
    if (step % every === 0 || step === steps - 1) losses.push(await loss.item());
  }
  const pred = torch.no_grad(() => model.call(x).argmax(1));
  const accuracy = (await pred.eq(y).to(torch.float32).mean().item());
  return { losses, first: losses[0], last: losses[losses.length - 1], accuracy, ms: Date.now() - t0 };
}

/** Checks a training result: the loss fell below `threshold` and, given a reference run, matches it step by step. */
export function checkTraining(result, { threshold = 0.05, reference = null, rtol = 1e-3, atol = 1e-4 } = {}) {
  const errors = [];
  if (!(result.last < result.first)) errors.push(`loss did not decrease: ${result.first} -> ${result.last}`);
  if (!(result.last < threshold)) errors.push(`final loss ${result.last} is not below ${threshold}`);
  if (reference) {
    if (reference.losses.length !== result.losses.length) errors.push(`${result.losses.length} losses, reference has ${reference.losses.length}`);
    for (let i = 0; i < Math.min(reference.losses.length, result.losses.length); i++) {
      const a = result.losses[i], b = reference.losses[i];
      if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) { errors.push(`loss[${i}] = ${a}, reference ${b}`); break; }
    }
  }
  return errors;
}
