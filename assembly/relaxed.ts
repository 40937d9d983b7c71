// Entry of the relaxed-SIMD add-on module (build/out/webtorch_relaxed.wasm): the f32 GEMM of
// gemm.ts (f64 stays on the baseline, to keep the bundle small) compiled with --enable relaxed-simd (fused multiply-add 6-row micro-kernels), importing
// the main module's memory. The loader (ts/backend/wasm/runtime.ts) uses it in place of the main
// module's gemm_* exports where the runtime validates it and relaxed_probe() passes.
export { gemm_f32, gemm_f32_workspace } from "./gemm";

// 1 when f32x4/f64x2.relaxed_madd compute a*b+c (fused or not) on a few lanes; 0 otherwise.
export function relaxed_probe(): i32 {
  const a = f32x4(1.5, -2.0, 3.0, 0.1), b = f32x4(2.0, 3.0, -0.5, 10.0), c = f32x4(1.0, 0.25, 4.0, -1.0);
  const r = f32x4.relaxed_madd(a, b, c);
  const e = f32x4.add(f32x4.mul(a, b), c);
  const d = f32x4.abs(f32x4.sub(r, e));
  const tol = f32x4.splat(1e-6);
  if (!v128.all_true<i32>(f32x4.le(d, tol))) return 0;
  const a2 = f64x2(1.5, -0.1), b2 = f64x2(-4.0, 10.0), c2 = f64x2(0.5, 2.0);
  const r2 = f64x2.relaxed_madd(a2, b2, c2);
  const e2 = f64x2.add(f64x2.mul(a2, b2), c2);
  if (!v128.all_true<i64>(f64x2.le(f64x2.abs(f64x2.sub(r2, e2)), f64x2.splat(1e-12)))) return 0;
  return 1;
}
