// The GEMM kernels' contract (assembly/gemm.ts): gemm_*(..., ws) writes nothing outside C and
// the gemm_*_workspace(m, n, k) bytes at ws. One thread never notices an undersized workspace
// (the packing runs on into free scratch), so this checks the contract directly: the workspace
// is followed by a canary region that must come back untouched, for the shapes where the float32
// kernel takes its GEMV path and float64 does not (m or n = 1, or <= 4 with a unit stride), and
// for plain packed shapes; and the product must be right.
import { describe, it, expect } from 'vitest';
import '../ts/index.js';
import { K, alloc, scratch, wasmMemory } from '../ts/backend/wasm/runtime.js';

const CANARY = 1 << 16;

describe('GEMM workspace sizes', () => {
  for (const [dt, es] of [['f32', 4], ['f64', 8]] as const) {
    for (const [m, n, k, bT] of [[1, 300, 4000, false], [300, 1, 4000, false], [3, 300, 500, true], [300, 4, 500, false], [37, 45, 600, false], [1, 1, 2000, false]] as const) {
      it(`${dt} ${m}x${k} @ ${k}x${n}${bT ? ' (B transposed)' : ''}`, () => {
        scratch(() => {
          const a = alloc(m * k * es), b = alloc(k * n * es), c = alloc(m * n * es);
          const A = dt === 'f32' ? Float32Array : Float64Array;
          const av = new A(wasmMemory.buffer, a, m * k), bv = new A(wasmMemory.buffer, b, k * n);
          for (let i = 0; i < av.length; i++) av[i] = ((i * 7) % 13) - 6;
          for (let i = 0; i < bv.length; i++) bv[i] = ((i * 5) % 11) - 5;
          const wsBytes = K[`gemm_${dt}_workspace`](m, n, k) as number;
          const ws = alloc(wsBytes + CANARY);
          const canary = new Uint8Array(wasmMemory.buffer, ws + wsBytes, CANARY);
          canary.fill(0xa5);
          // B as [k, n] row-major, or its transpose's view (strides 1, k) over the same bytes
          const [sb0, sb1] = bT ? [1, k] : [n, 1];
          K[`gemm_${dt}`](m, n, k, 1, a, k, 1, b, sb0, sb1, 0, c, n, ws);
          expect(new Uint8Array(wasmMemory.buffer, ws + wsBytes, CANARY).every((v) => v === 0xa5), 'bytes past the workspace were written').toBe(true);
          const cv = new A(wasmMemory.buffer, c, m * n);
          for (const [i, j] of [[0, 0], [m - 1, n - 1], [m >> 1, n >> 1]]) {
            let s = 0;
            for (let p = 0; p < k; p++) s += av[i * k + p] * bv[p * sb0 + j * sb1];
            expect(cv[i * n + j]).toBe(s);
          }
        });
      });
    }
  }
});
