// Standalone correctness check + microbenchmark for assembly/gemm.ts.
//
//   npx asc assembly/gemm.ts --runtime stub --enable simd,nontrapping-f2i,bulk-memory -O3 --noAssert -o /tmp/gemm.wasm
//   node bench/gemm_kernel.mjs [/tmp/gemm.wasm] [--quick] [--no-check] [--no-bench]
//
// Loads a wasm module exporting gemm_f32 / gemm_f32_workspace / gemm_f64 / gemm_f64_workspace (either
// the standalone build above, the full build/out/webtorch.wasm, or the relaxed-SIMD add-on
// build/out/webtorch_relaxed.wasm, f32 only: Node 20 needs --experimental-wasm-relaxed-simd), checks it against a naive f64 JS
// reference over many shapes / stride layouts / alpha / beta, then prints GFLOP/s (best of several runs).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((x) => !x.startsWith('--')) ?? '/tmp/gemm.wasm';
const QUICK = args.includes('--quick');
const CHECK = !args.includes('--no-check');
const BENCH = !args.includes('--no-bench');

// the full build imports its memory (asconfig.json importMemory); a standalone build exports its own
const module = await WebAssembly.compile(readFileSync(file));
const imported = WebAssembly.Module.imports(module).some((i) => i.kind === 'memory');
const memory = imported ? new WebAssembly.Memory({ initial: 16, maximum: 65536 }) : undefined;
const instance = await WebAssembly.instantiate(module, {
  env: { abort() { throw new Error('abort'); }, seed() { return 1; }, ...(memory ? { memory } : {}) },
});
const ex = instance.exports;
const mem = memory ?? ex.memory;

// ------------------------------------------------------------------------------------------------
// Simple bump allocator over the module's memory, starting above everything the module owns.
const BASE = mem.buffer.byteLength;
let top = BASE;
function reset() { top = BASE; }
function alloc(bytes, align = 16, misalign = 0) {
  top = Math.ceil(top / align) * align + misalign;
  const p = top;
  top += bytes + 64;
  const need = top - mem.buffer.byteLength;
  if (need > 0) mem.grow(Math.ceil(need / 65536));
  return p;
}

let seed = 12345;
function rnd() { // xorshift, uniform in [-1, 1)
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed / 2147483648 - 1;
}

const DT = {
  f32: { es: 4, Arr: Float32Array, gemm: ex.gemm_f32, ws: ex.gemm_f32_workspace, tol: 1e-5 },
  f64: { es: 8, Arr: Float64Array, gemm: ex.gemm_f64, ws: ex.gemm_f64_workspace, tol: 1e-12 },
};
// the relaxed-SIMD add-on (build/out/webtorch_relaxed.wasm) has the f32 GEMM only
const HAS = (d) => typeof DT[d].gemm === 'function';

// A strided operand: logical rows x cols, element (i,j) at off + i*s0 + j*s1 (elements).
// layout: 'N' row-major (s0 = cols+pad, s1 = 1), 'T' column-major (s0 = 1, s1 = rows+pad),
// 'B0' broadcast rows (s0 = 0, s1 = 1), 'B1' broadcast cols (s0 = cols.., s1 = 0), 'S' general strided.
function operand(dt, rows, cols, layout, pad, misalign) {
  let s0, s1;
  switch (layout) {
    case 'N': s0 = cols + pad; s1 = 1; break;
    case 'T': s0 = 1; s1 = rows + pad; break;
    case 'B0': s0 = 0; s1 = 1; break;
    case 'B1': s0 = 1; s1 = 0; break;
    case 'S': s0 = 2 * cols + 1; s1 = 2; break;
    default: throw new Error(layout);
  }
  const span = rows > 0 && cols > 0 ? (rows - 1) * s0 + (cols - 1) * s1 + 1 : 1;
  const ptr = alloc(span * dt.es, 16, misalign ? dt.es : 0);
  const view = new dt.Arr(mem.buffer, ptr, span);
  for (let i = 0; i < span; i++) view[i] = rnd();
  return { ptr, s0, s1, span, get: (v, i, j) => v[i * s0 + j * s1] };
}

function check(dtName, m, n, k, la, lb, alpha, beta, opts = {}) {
  const dt = DT[dtName];
  reset();
  const pad = opts.pad ?? 0;
  const A = operand(dt, m, k, la, pad, opts.misalign);
  const B = operand(dt, k, n, lb, pad, opts.misalign);
  const ldc = n + (opts.cpad ?? 0);
  const cspan = m > 0 && n > 0 ? (m - 1) * ldc + n : 1;
  const cptr = alloc(cspan * dt.es, 16, opts.misalign ? dt.es : 0);
  const wsBytes = dt.ws(m, n, k);
  const wsPtr = alloc(wsBytes + 16, 16);
  // sentinels after the workspace to catch overruns
  const guard = new Uint32Array(mem.buffer, wsPtr + Math.ceil(wsBytes / 4) * 4, 4);
  guard.fill(0xdeadbeef);
  let C = new dt.Arr(mem.buffer, cptr, cspan);
  for (let i = 0; i < cspan; i++) C[i] = beta === 0 ? NaN : rnd();
  const C0 = Float64Array.from(C);
  dt.gemm(m, n, k, alpha, A.ptr, A.s0, A.s1, B.ptr, B.s0, B.s1, beta, cptr, ldc, wsPtr);
  C = new dt.Arr(mem.buffer, cptr, cspan);
  const av = new dt.Arr(mem.buffer, A.ptr, A.span), bv = new dt.Arr(mem.buffer, B.ptr, B.span);
  const g2 = new Uint32Array(mem.buffer, wsPtr + Math.ceil(wsBytes / 4) * 4, 4);
  for (let i = 0; i < 4; i++) if (g2[i] !== 0xdeadbeef) return `workspace overrun (ws=${wsBytes})`;
  // relative to sum |alpha a b| + |beta c|; rounding error of a k-term sum grows ~k in the worst case
  const tol = dt.tol * Math.max(1, k / 1000);
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, sa = 0;
      for (let p = 0; p < k; p++) {
        const t = A.get(av, i, p) * B.get(bv, p, j);
        s += t; sa += Math.abs(t);
      }
      const c0 = C0[i * ldc + j];
      const ref = alpha * s + (beta === 0 ? 0 : beta * c0);
      const scale = Math.abs(alpha) * sa + (beta === 0 ? 0 : Math.abs(beta * c0)) + 1e-30;
      const got = C[i * ldc + j];
      const err = Math.abs(got - ref) / scale;
      if (!(err <= tol)) return `C(${i},${j}) = ${got}, expected ${ref} (rel err ${err})`;
      if (err > worst) worst = err;
    }
  }
  // untouched padding in C
  for (let i = 0; i < m; i++) {
    for (let j = n; j < ldc && i * ldc + j < cspan; j++) {
      const a = C[i * ldc + j], b = C0[i * ldc + j];
      if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) return `C padding (${i},${j}) modified`;
    }
  }
  return null;
}

if (CHECK) {
  let n = 0, fails = 0;
  const t0 = performance.now();
  const run = (dt, m, nn, k, la, lb, alpha, beta, opts) => {
    n++;
    const r = check(dt, m, nn, k, la, lb, alpha, beta, opts);
    if (r) {
      fails++;
      if (fails <= 30) console.log(`FAIL ${dt} m=${m} n=${nn} k=${k} A=${la} B=${lb} alpha=${alpha} beta=${beta} ${JSON.stringify(opts)}: ${r}`);
    }
  };
  const small = [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33];
  const layouts = [['N', 'N'], ['N', 'T'], ['T', 'N'], ['T', 'T']];
  for (const dt of ['f32', 'f64'].filter(HAS)) {
    // exhaustive-ish small sizes
    const sizes = QUICK ? [0, 1, 3, 5, 8, 17] : small;
    for (const m of sizes) for (const nn of sizes) for (const k of sizes) {
      const [la, lb] = layouts[(m + 2 * nn + 3 * k) % 4];
      const ab = [[1, 0], [0.5, 1], [-2, 0.3], [1, 1]][(m + nn + k) % 4];
      run(dt, m, nn, k, la, lb, ab[0], ab[1], { misalign: (m + k) % 2 === 1, cpad: nn % 3 });
    }
    // all layouts x alpha/beta at a few awkward sizes
    const shapes = [[7, 9, 13], [17, 33, 19], [33, 17, 260], [64, 80, 50], [130, 70, 300], [1, 37, 45], [37, 1, 45],
      [1, 1, 9], [2, 300, 5000], [4, 7, 4500], [3, 2100, 20]];
    if (!QUICK) shapes.push([130, 2100, 270], [1, 1100, 5000], [1100, 1, 5000], [6000, 3, 10]);
    for (const [m, nn, k] of shapes) {
      for (const [la, lb] of layouts) {
        for (const [alpha, beta] of [[1, 0], [0.75, 1], [-1.5, -0.5]]) {
          run(dt, m, nn, k, la, lb, alpha, beta, { pad: 3, cpad: 2, misalign: true });
        }
      }
      run(dt, m, nn, k, 'S', 'S', 1.25, 0.5, {});
      run(dt, m, nn, k, 'B0', 'N', 1, 0, {});
      run(dt, m, nn, k, 'N', 'B1', 1, 1, {});
      run(dt, m, nn, k, 'B1', 'B0', 2, 0, {});
      run(dt, m, nn, k, 'N', 'N', 0, 0.5, {}); // alpha == 0: C = beta*C
      run(dt, m, nn, 0, 'N', 'N', 1, 0.5, {}); // k == 0
      run(dt, m, nn, 0, 'N', 'N', 1, 0, {});
    }
  }
  console.log(`check: ${n - fails}/${n} passed (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  if (fails) { console.log('FAILED'); process.exit(1); }
}

// ------------------------------------------------------------------------------------------------
function bench(dtName, m, n, k, la = 'N', lb = 'N') {
  const dt = DT[dtName];
  reset();
  const A = operand(dt, m, k, la, 0, false);
  const B = operand(dt, k, n, lb, 0, false);
  const cptr = alloc(m * n * dt.es);
  const wsBytes = dt.ws(m, n, k);
  const wsPtr = alloc(wsBytes);
  const flops = 2 * m * n * k;
  const call = () => dt.gemm(m, n, k, 1, A.ptr, A.s0, A.s1, B.ptr, B.s0, B.s1, 0, cptr, n, wsPtr);
  // warm up (tier-up to TurboFan), then pick reps for ~40 ms per run
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) call();
    const dt0 = performance.now() - t0;
    if (dt0 > 20) { reps = Math.max(1, Math.round(reps * 40 / dt0)); break; }
    reps *= 2;
  }
  let best = Infinity;
  for (let t = 0; t < (QUICK ? 3 : 7); t++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) call();
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  const gf = flops / best / 1e6;
  console.log(`${dtName} ${`${m}x${n}x${k}`.padEnd(14)} ${la}${lb}  ${gf.toFixed(1).padStart(6)} GFLOP/s  ${best.toFixed(3).padStart(8)} ms  ws=${(wsBytes / 1024).toFixed(0)} KiB`);
  return gf;
}

if (BENCH) {
  console.log('benchmark (single thread, best of runs, C = A @ B, beta = 0)');
  for (const s of [64, 128, 256, 512, 1024]) bench('f32', s, s, s);
  bench('f32', 1024, 1024, 1024, 'T', 'N');
  bench('f32', 1024, 1024, 1024, 'N', 'T');
  bench('f32', 1024, 1024, 1024, 'T', 'T');
  bench('f32', 64, 800, 500);
  bench('f32', 64, 500, 800, 'N', 'T');
  bench('f32', 500, 800, 64, 'T', 'N');
  for (const [la, lb] of [['N', 'N'], ['N', 'T'], ['T', 'N'], ['T', 'T']]) bench('f32', 500, 64, 800, la, lb);
  bench('f32', 64, 9216, 128);
  bench('f32', 64, 9216, 128, 'N', 'T');
  bench('f32', 64, 10, 500, 'N', 'T'); // 10-class head: forward, dX, dW
  bench('f32', 64, 500, 10);
  bench('f32', 10, 500, 64, 'T', 'N');
  bench('f32', 32, 25, 100);
  bench('f32', 1, 1000, 1000);
  bench('f32', 1, 1000, 1000, 'N', 'T');
  bench('f32', 1000, 1, 1000);
  bench('f32', 1000, 1, 1000, 'T', 'N');
  if (args.includes('--lm')) { // word_language_model decoder (700 tokens, 200 -> 10000): forward, dX, dW
    bench('f32', 700, 10000, 200, 'N', 'T');
    bench('f32', 700, 200, 10000);
    bench('f32', 10000, 200, 700, 'T', 'N');
  }
  if (args.includes('--small')) {
    for (const m of [2, 3, 4, 6, 8]) { bench('f32', m, 1000, 1000); bench('f32', 1000, m, 1000); }
    for (const k of [1, 2, 4, 16]) bench('f32', 500, 800, k);
  }
  if (HAS('f64')) { bench('f64', 256, 256, 256); bench('f64', 512, 512, 512); }
}
