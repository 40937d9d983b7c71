// The float32 log_softmax row kernels along the last dim (assembly/loss.ts: f32x4 lanes with the
// SIMD exp of assembly/expv.ts, a padded tail) against a float64 reference: row lengths that
// exercise the vector loop, the 4-wide step and the tail, -inf (masked) entries, rows of -inf,
// inf and NaN, large magnitudes, and the backward. The exp itself against Math.exp over its range,
// and the sigmoid and tanh built on it (behind torch.exp/sigmoid/tanh and the LSTM/GRU cells).
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import { K, alloc, put, take, scratch } from '../ts/backend/wasm/runtime.js';

/** A seeded uniform in [0, 1) (mulberry32), so that failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** log_softmax of one row in float64 (PyTorch's semantics: a non-finite max gives NaN throughout). */
function refRow(x: Float32Array): Float64Array {
  let m = -Infinity;
  for (const v of x) if (v > m || Number.isNaN(v)) m = v;
  const out = new Float64Array(x.length);
  if (!Number.isFinite(m)) return out.fill(NaN);
  let s = 0;
  for (const v of x) s += Math.exp(v - m);
  const lse = m + Math.log(s);
  for (let i = 0; i < x.length; i++) out[i] = x[i] - lse;
  return out;
}

/** Compares got against the float64 reference: |got - ref| <= tol * scale[i], NaN and infinities exactly. */
function expectClose(got: Float32Array, ref: Float64Array, scale: ArrayLike<number>, tol: number, what: string): void {
  for (let i = 0; i < ref.length; i++) {
    const g = got[i], r = ref[i];
    if (Number.isNaN(r) || !Number.isFinite(r)) {
      if (!Object.is(g, r)) expect(g, `${what} [${i}]`).toBe(r);
      continue;
    }
    const err = Math.abs(g - r);
    if (!(err <= tol * scale[i])) expect(err, `${what} [${i}]: got ${g}, want ${r}`).toBeLessThanOrEqual(tol * scale[i]);
  }
}

function forward(rows: Float32Array[], C: number): { x: torch.Tensor; y: torch.Tensor; yd: Float32Array } {
  const data = new Float32Array(rows.length * C);
  rows.forEach((r, a) => data.set(r, a * C));
  const x = torch.tensor(data).reshape([rows.length, C]).requires_grad_();
  const y = torch.log_softmax(x, -1);
  return { x, y, yd: y.dataSync() as Float32Array };
}

function checkForward(rows: Float32Array[], C: number, what: string): { x: torch.Tensor; y: torch.Tensor; yd: Float32Array } {
  const f = forward(rows, C);
  expect(f.y.dtype).toBe('float32');
  rows.forEach((r, a) => {
    const ref = refRow(r);
    // relative to |ref|, with a floor of 1 for values near 0 (those carry log(sum)'s absolute error)
    expectClose(f.yd.subarray(a * C, (a + 1) * C), ref, Array.from(ref, (v) => Math.max(1, Math.abs(v))), 1e-6, `${what} row ${a}`);
  });
  return f;
}

/** Runs the backward with a seeded upstream gradient and checks it against grad - exp(y) * grad.sum(). */
function checkBackward(f: { x: torch.Tensor; y: torch.Tensor; yd: Float32Array }, A: number, C: number, seed: number, what: string): void {
  const r = rng(seed);
  const gd = Float32Array.from({ length: A * C }, () => r() * 4 - 2);
  f.y.backward(torch.tensor(gd).reshape([A, C]));
  const got = f.x.grad!.dataSync() as Float32Array;
  for (let a = 0; a < A; a++) {
    const g = gd.subarray(a * C, (a + 1) * C), y = f.yd.subarray(a * C, (a + 1) * C);
    let s = 0;
    for (const v of g) s += v;
    const ref = Float64Array.from(g, (v, i) => v - Math.exp(y[i]) * s);
    // relative to the two terms' magnitudes (f32 arithmetic, as PyTorch's kernel), floor for exp underflow
    const scale = Array.from(g, (v, i) => Math.abs(v) + Math.abs(Math.exp(y[i]) * s) + 1e-30);
    expectClose(got.subarray(a * C, (a + 1) * C), ref, scale, 1e-6, `${what} grad row ${a}`);
  }
}

const randRow = (C: number, r: () => number, scale: number): Float32Array => Float32Array.from({ length: C }, () => (r() * 2 - 1) * scale);

describe('float32 log_softmax along the last dim (SIMD row kernels)', () => {
  // 1, 3: the tail only; 4: one vector; 5, 17: vectors and a tail; 8, 12: the 8-wide loop and the
  // 4-wide step; 10001: many f64 flush blocks and a tail of 1
  for (const C of [1, 3, 4, 5, 8, 12, 17, 257, 10001]) {
    it(`random rows, C=${C}, forward and backward`, () => {
      const r = rng(C);
      const rows = [randRow(C, r, 3), randRow(C, r, 20), randRow(C, r, 0.01)];
      checkBackward(checkForward(rows, C, `C=${C}`), rows.length, C, C + 1, `C=${C}`);
    });
  }

  for (const C of [1, 3, 5, 17, 10001]) {
    it(`large magnitudes (±80, ±1e4), C=${C}`, () => {
      const r = rng(1000 + C);
      const rows = [
        randRow(C, r, 1).map((v) => v + 80),
        randRow(C, r, 1).map((v) => v - 80),
        randRow(C, r, 1).map((v) => v + 1e4),
        randRow(C, r, 1).map((v) => v - 1e4),
        randRow(C, r, 200), // spreads beyond exp's float32 range: terms underflow to 0
        randRow(C, r, 1e4),
        Float32Array.from({ length: C }, (_, i) => (i % 2 ? 1e4 : -1e4)),
        new Float32Array(C).fill(1e4), // log(C) below a max of 1e4: the order (x - max) - log(sum) matters
        new Float32Array(C).fill(80),
      ];
      checkBackward(checkForward(rows, C, `C=${C}`), rows.length, C, 2000 + C, `C=${C}`);
    });
  }

  for (const C of [1, 3, 5, 17, 10001]) {
    it(`-inf entries, rows of -inf, inf and NaN, C=${C}`, () => {
      const r = rng(3000 + C);
      const masked = (k: number) => randRow(C, r, 5).map((v, i) => (i % k === 1 ? -Infinity : v));
      const rows = [
        masked(2), masked(3), masked(7),
        randRow(C, r, 5).map((v, i) => (i === C - 1 ? v : -Infinity)), // all but the last (tail) entry masked
        randRow(C, r, 5).map((v, i) => (i === 0 ? v : -Infinity)),
        new Float32Array(C).fill(-Infinity), // PyTorch: NaN throughout
        randRow(C, r, 5).map((v, i) => (i === C >> 1 ? Infinity : v)), // NaN throughout
        randRow(C, r, 5).map((v, i) => (i === C - 1 ? NaN : v)), // NaN in the tail: NaN throughout
        randRow(C, r, 5).map((v, i) => (i === 0 ? NaN : v)),
        new Float32Array(C).fill(0),
      ];
      const f = checkForward(rows, C, `C=${C}`);
      // spot checks of the semantics the reference encodes
      expect(f.yd[5 * C]).toBeNaN();
      if (C > 1) expect(f.yd[1]).toBe(-Infinity);
      checkBackward(f, rows.length, C, 4000 + C, `C=${C}`);
    });
  }

  it('a softmax dim that is not the last (the strided kernel) agrees with the last-dim kernel', () => {
    const x = torch.randn([3, 17, 5]).mul(10);
    const a = torch.log_softmax(x, 1).dataSync() as Float32Array;
    const b = torch.log_softmax(x.transpose(1, 2).contiguous(), -1).transpose(1, 2).contiguous().dataSync() as Float32Array;
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(a[i])));
  });
});

describe('expv (f32x4 exp) against Math.exp', () => {
  const expv = (x: Float32Array): Float32Array => scratch(() => {
    const xp = put(x), yp = alloc(x.length * 4);
    K.expv_f32(xp, yp, x.length);
    return take(yp, 'float32', x.length) as Float32Array;
  });
  const FLT_MIN = 1.1754943508222875e-38;

  it('over [-100, 100], the range ends, infinities and NaN, in vectors and tails', () => {
    const xs: number[] = [];
    for (let v = -100; v <= 100; v += 0.0137) xs.push(v);
    xs.push(0, -0, 1, -1, -87.336544, -87.33654, -87.34, -88, -103, -104, 88, 88.3762626647949, 88.4, 88.7,
      88.72283172607422, 88.72283935546875, 88.8, 89, 1e4, -1e4, Infinity, -Infinity, NaN, 1e-30, -1e-30);
    for (const n of [xs.length, xs.length - 1, xs.length - 2, xs.length - 3, 1, 2, 3]) {
      const x = Float32Array.from(xs.slice(xs.length - n)), y = expv(x);
      for (let i = 0; i < n; i++) {
        const want = Math.fround(Math.exp(x[i]));
        if (Number.isNaN(want) || !Number.isFinite(want)) { expect(y[i], `exp(${x[i]})`).toBe(want); continue; }
        // no denormals: below FLT_MIN the result may be 0
        if (want < FLT_MIN) { expect(y[i], `exp(${x[i]})`).toBeLessThan(FLT_MIN); continue; }
        expect(Math.abs(y[i] - want) / want, `exp(${x[i]}) = ${want}, got ${y[i]}`).toBeLessThanOrEqual(3e-7);
      }
    }
  });
});

describe('sigmoid and tanh on f32x4 lanes against float64', () => {
  const run = (name: string, x: Float32Array): Float32Array => scratch(() => {
    const xp = put(x), yp = alloc(x.length * 4);
    K[name](xp, yp, x.length);
    return take(yp, 'float32', x.length) as Float32Array;
  });
  const xs: number[] = [];
  for (let v = -100; v <= 100; v += 0.0137) xs.push(v);
  for (let v = -1; v <= 1; v += 1.3e-4) xs.push(v); // tanh switches from its series to exp at |x| = 0.4
  xs.push(0, -0, 0.4, -0.4, Math.fround(0.39999998), 1e-30, -1e-30, 1e-8, 9, -9, 20, -20, 88.8, -88.8, 1e4, -1e4);
  const refs: [string, (v: number) => number][] = [['sigmoidv_f32', (v) => 1 / (1 + Math.exp(-v))], ['tanhv_f32', Math.tanh]];

  for (const [name, ref] of refs) {
    it(`${name}: within 3 float32 ulp (relative 4e-7), in vectors and tails; infinities and NaN`, () => {
      for (const n of [xs.length, xs.length - 1, xs.length - 2, xs.length - 3, 1, 2, 3]) {
        const x = Float32Array.from(xs.slice(xs.length - n)), y = run(name, x);
        for (let i = 0; i < n; i++) {
          const want = ref(x[i]);
          if (Math.abs(want) < 1.2e-38) { expect(Math.abs(y[i]), `${name}(${x[i]})`).toBeLessThan(1.2e-38); continue; }
          expect(Math.abs(y[i] - want) / Math.abs(want), `${name}(${x[i]}) = ${want}, got ${y[i]}`).toBeLessThanOrEqual(4e-7);
        }
      }
      const sp = run(name, Float32Array.from([Infinity, -Infinity, NaN, -0]));
      expect(Array.from(sp.slice(0, 3))).toEqual(name === 'tanhv_f32' ? [1, -1, NaN] : [1, 0, NaN]);
      if (name === 'tanhv_f32') expect(Object.is(sp[3], -0)).toBe(true);
    });
  }

  it('one value gives the same result in a vector, a tail and the ops (torch.exp, sigmoid, tanh)', () => {
    const x = Float32Array.from([0.3, -2.5, 7.25, 0.41, -0.05]);
    for (const [name, op] of [['expv_f32', 'exp'], ['sigmoidv_f32', 'sigmoid'], ['tanhv_f32', 'tanh']] as const) {
      const whole = run(name, x);
      for (let i = 0; i < x.length; i++) expect(run(name, x.slice(i, i + 1))[0]).toBe(whole[i]);
      expect(Array.from(torch.tensor(Array.from(x))[op]().dataSync() as Float32Array)).toEqual(Array.from(whole));
    }
  });
});
