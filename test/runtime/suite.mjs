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

// On webgpu (no 64-bit floats in WGSL) float64 inputs run as float32, and results are checked
// with float32 tolerances widened for GPU math (WGSL's exp/log/tanh are not correctly rounded).
const GPU_TOL = { atol: 1e-4, rtol: 1e-3 };

/**
 * Fixture decoding and comparison bound to one torch module; with device 'webgpu', inputs are
 * made on the GPU (see runCaseAsync).
 */
export function decoder(torch, device = 'cpu') {
  const gpu = device === 'webgpu';
  const inDtype = (d) => (gpu && d === 'float64' ? 'float32' : mapDtype(d));
  const toTensor = (t) => {
    const flat = t.data.map(num);
    const x = torch.tensor(flat.length ? flat : [], { dtype: inDtype(t.dtype) }).reshape(t.shape);
    return gpu ? x.to('webgpu') : x;
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
    if ('dtype' in a && Object.keys(a).length === 1) return { value: inDtype(a.dtype), leaf: null };
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
  const expectTensorClose = (actual, expected, what, tol0, values) => {
    const tol = gpu ? GPU_TOL : tol0 ?? tolerance(expected.dtype);
    if (!(actual instanceof torch.Tensor)) fail(`${what}: expected a Tensor, got ${String(actual)}`);
    if (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape)) fail(`${what}: shape ${JSON.stringify(actual.shape)}, want ${JSON.stringify(expected.shape)}`);
    if (actual.dtype !== inDtype(expected.dtype)) fail(`${what}: dtype ${actual.dtype}, want ${inDtype(expected.dtype)}`);
    if (gpu && actual.device.type !== 'webgpu') fail(`${what}: on ${actual.device.type}, want webgpu`);
    const got = Array.from(values ?? actual.dataSync());
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
  const expectValue = (actual, expected, what, values) => {
    if (expected !== null && typeof expected === 'object' && !Array.isArray(expected) && 'tensor' in expected) {
      expectTensorClose(actual, expected.tensor, what, undefined, values?.get(actual));
      return;
    }
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual)) fail(`${what}: expected a list`);
      if (actual.length !== expected.length) fail(`${what}: length ${actual.length}, want ${expected.length}`);
      expected.forEach((e, i) => expectValue(actual[i], e, `${what}[${i}]`, values));
      return;
    }
    if (typeof expected === 'number') {
      if (typeof actual !== 'number' && typeof actual !== 'boolean') fail(`${what}: expected a number, got ${String(actual)}`);
      if (!(Math.abs(+actual - expected) <= 2e-5 + 2e-4 * Math.abs(expected))) fail(`${what}: ${actual} vs ${expected}`);
      return;
    }
    if (!deepEqual(actual, expected)) fail(`${what}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
  };
  /** Reads every tensor in a result (a tensor, or nested arrays of them) back asynchronously: a Map tensor -> values. */
  const readAll = async (x, into = new Map()) => {
    if (x instanceof torch.Tensor) into.set(x, await x.data());
    else if (Array.isArray(x)) for (const v of x) await readAll(v, into);
    return into;
  };
  return { toTensor, buildArg, invoke, expectTensorClose, expectValue, readAll, device };
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
 * Cases that cannot exist on webgpu: float64 results (WGSL has no 64-bit floats), and results whose
 * shape depends on tensor values (one_hot without num_classes), which would need a synchronous read.
 */
const needsFloat64 = (e) => /webgpu tensors cannot be float64|reading webgpu values back is asynchronous/.test(String(e?.message ?? e));

/**
 * runCase for a device whose reads are asynchronous (webgpu): the same checks, with inputs made on
 * the device and every compared value read back with `await t.data()`. Returns 'skipped' for cases
 * that need float64 results.
 */
export async function runCaseAsync(torch, D, family, c, F) {
  try {
    if (JS_INTEGRAL_FLOATS.has(c.id)) {
      const out = D.invoke({ ...c, kwargs: { ...c.kwargs, device: D.device } }, c.args.map(D.buildArg).map((b) => b.value), F);
      const f = out.to('float32');
      D.expectTensorClose(f, { ...c.out.tensor, dtype: 'float32' }, 'out', undefined, await f.data());
      if (out.dtype !== 'int32') fail(`out: dtype ${out.dtype}, want int32`);
      return 'passed';
    }
    const built = c.args.map(D.buildArg);
    // creation ops with no tensor argument are asked for the device
    const creates = family === 'core_creation' && c.call.startsWith('torch.') && !built.some((b) => b.value instanceof torch.Tensor);
    const call = creates ? { ...c, kwargs: { ...c.kwargs, device: D.device } } : c;
    const out = c.call === 'Tensor.item' ? await built[0].value.item() : D.invoke(call, built.map((b) => b.value), F);
    D.expectValue(out, c.out, 'out', await D.readAll(out));
    if (!c.grad_out || !c.grads) return 'passed';
    const y = c.grad_of !== undefined ? out[c.grad_of] : out;
    y.backward(D.toTensor(c.grad_out));
    for (let i = 0; i < c.grads.length; i++) {
      const g = c.grads[i], leaf = built[i].leaf;
      if (g === null) continue;
      if (Array.isArray(g)) {
        for (let j = 0; j < g.length; j++) if (g[j]) D.expectTensorClose(leaf[j].grad, g[j], `grad[${i}][${j}]`, undefined, leaf[j].grad ? await leaf[j].grad.data() : undefined);
        continue;
      }
      if (!leaf) fail(`arg ${i} has no leaf`);
      D.expectTensorClose(leaf.grad, g, `grad[${i}]`, undefined, leaf.grad ? await leaf.grad.data() : undefined);
    }
    return 'passed';
  } catch (e) {
    if (needsFloat64(e)) return 'skipped';
    throw e;
  }
}

/**
 * runFixtures on webgpu (call `await torch.webgpu.init()` first). Same result shape, plus
 * `skipped` (cases needing float64).
 */
export async function runFixturesAsync(torch, families, device = 'webgpu') {
  const D = decoder(torch, device);
  const F = torch.nn?.functional ?? torch;
  const res = { passed: 0, failed: 0, skipped: 0, byFamily: {}, failures: [] };
  for (const [family, cases] of Object.entries(families)) {
    const fam = (res.byFamily[family] = { passed: 0, failed: 0, skipped: 0 });
    for (const c of cases) {
      try {
        const r = await torch.scope(() => runCaseAsync(torch, D, family, c, F));
        fam[r]++; res[r]++;
      } catch (e) {
        fam.failed++; res.failed++;
        res.failures.push({ family, id: c.id, error: String(e?.message ?? e) });
      }
    }
  }
  return res;
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
export async function train(torch, { seed = 0, steps = 300, lr = 0.02, data = makeData(), every = 1, device = 'cpu' } = {}) {
  const { nn, optim } = torch;
  const t0 = Date.now();
  torch.manual_seed(seed);
  const model = new nn.Sequential(new nn.Linear(2, 32), new nn.Tanh(), new nn.Linear(32, 32), new nn.Tanh(), new nn.Linear(32, 2)).to(device);
  const opt = new optim.Adam(model.parameters(), { lr });
  const lossFn = new nn.CrossEntropyLoss();
  const x = torch.tensor(data.x, { dtype: torch.float32, device });
  const y = torch.tensor(data.y, { dtype: torch.int64, device });
  const losses = [];
  for (let step = 0; step < steps; step++) {
    // each step in a scope: GPU buffers are released when it ends (the GC cannot see GPU memory)
    const l = await torch.scope(async () => {
      opt.zero_grad();
      const loss = lossFn.call(model.call(x), y);
      loss.backward();
      opt.step();
      return step % every === 0 || step === steps - 1 ? await loss.item() : null;
    });
    if (l !== null) losses.push(l);
  }
  const pred = torch.no_grad(() => model.call(x).argmax(1));
  const accuracy = (await pred.eq(y).to(torch.float32).mean().item());
  return { losses, first: losses[0], last: losses[losses.length - 1], accuracy, ms: Date.now() - t0, wasmVariant: torch.backends?.wasm?.variant };
}

/**
 * The webgpu part of a runtime's run: the op fixtures on the GPU and the MLP trained there.
 * Returns { available: false, reason } where the runtime has no adapter.
 */
export async function runWebgpu(torch, fixtures, { steps = 100 } = {}) {
  if (!(await torch.webgpu.init())) {
    let reason = 'no adapter';
    try { torch.zeros(1, { device: 'webgpu' }); } catch (e) { reason = String(e?.message ?? e); }
    return { available: false, reason };
  }
  const t0 = Date.now();
  const fx = await runFixturesAsync(torch, fixtures);
  const fixturesMs = Date.now() - t0;
  const before = torch.memory().gpuBytes;
  const training = await train(torch, { device: 'webgpu', steps });
  return { available: true, fixtures: fx, fixturesMs, training, gpuBytesBefore: before, gpuBytesAfter: torch.memory().gpuBytes };
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
