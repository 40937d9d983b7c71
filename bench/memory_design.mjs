// Measurements behind docs/MEMORY.md: what copying through wasm scratch costs, and why
// FinalizationRegistry alone cannot bound wasm-heap storage in a synchronous loop.
// Run: node --expose-gc bench/memory_design.mjs   (after npm run build)
import * as torch from '../dist/webtorch.js';

const N = 1 << 20;
const a = torch.randn([N]), b = torch.randn([N]);
const time = (fn, reps = 50) => {
  for (let i = 0; i < 5; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
};

// 1) full op: copy two inputs into scratch, kernel, copy the result into a new typed array
const full = time(() => torch.add(a, b));
// 2) the same kernel on data already resident in wasm memory (what wasm-heap storage would cost)
const wasmMod = await import('../build/out/tsc/ts/backend/wasm/runtime.js');
const { K, alloc, mark, release } = wasmMod;
const m = mark();
const pa = alloc(N * 4), pb = alloc(N * 4), po = alloc(N * 4);
const kernelOnly = time(() => K.pw_add_f32(pa, pb, po, N, 0));
release(m);
console.log(`add of ${N} float32: full op ${full.toFixed(3)} ms (${(12 * N / full / 1e6).toFixed(1)} GB/s), kernel on resident data ${kernelOnly.toFixed(3)} ms (${(12 * N / kernelOnly / 1e6).toFixed(1)} GB/s)`);

// 3) a FinalizationRegistry never runs during a synchronous loop
let finalized = 0;
const reg = new FinalizationRegistry(() => { finalized++; });
for (let i = 0; i < 20000; i++) reg.register(new Float32Array(1024), i);
globalThis.gc?.();
console.log(`FinalizationRegistry callbacks run during a 20,000-iteration synchronous loop: ${finalized}`);
await new Promise((r) => setTimeout(r, 50));
console.log(`... and after the event loop turned once: ${finalized}`);

// 4) rss over a PyTorch-style loop with no dispose calls (GC-managed storage)
const x = torch.randn([256, 256]);
const rss = () => process.memoryUsage().rss / 2 ** 20;
for (let i = 0; i < 500; i++) x.mul(2).relu().sum();
const r0 = rss();
let peak = r0;
for (let i = 0; i < 10000; i++) { x.mul(2).relu().sum(); if (i % 500 === 0) peak = Math.max(peak, rss()); }
console.log(`rss after warm-up ${r0.toFixed(0)} MiB, peak over 10,000 iterations ${peak.toFixed(0)} MiB (allocated ${(10000 * 3 * 256 * 1024 / 2 ** 30).toFixed(1)} GiB in total)`);
