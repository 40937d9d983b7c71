// Cuts one GEMM (C = A @ B, C contiguous m x n) into row or column blocks for the threads
// (threads.ts). Each block is the same kernel call on a sub-matrix, and every element of C is
// summed in the same order whatever the block (the kernel blocks k the same way and the GEMV
// paths are taken only for m or n <= 4, which blocks never are), so results are bit-identical
// to one thread.
import { activeThreads, runCalls } from './threads.js';
import { K } from './runtime.js';

/** gemm_f32/gemm_f64 take 14 arguments; the last is the workspace. */
export const GEMM_ARGS = 14;
export const GEMM_WS_ARG = 13;
/** Below this many multiply-adds per matrix, a block is not worth a ~20 us thread round trip. */
const MIN_SPLIT_WORK = 1 << 18;
const MIN_BLOCK = 8;

/** Appends the calls computing one matrix of a batch of `nb` to `calls` (C = A @ B, or C += A @ B for beta 1). */
export function gemmBlocks(calls: number[], nb: number, m: number, n: number, k: number,
  a: number, sa0: number, sa1: number, b: number, sb0: number, sb1: number, c: number, es: number, beta = 0, ldc = n): void {
  const threads = activeThreads();
  // a batch with at least as many matrices as threads is split by matrix alone
  let parts = nb >= threads || m <= 4 || n <= 4 || m * n * k < MIN_SPLIT_WORK ? 1 : Math.ceil(threads / nb);
  const byRows = m >= n, len = byRows ? m : n;
  parts = Math.min(parts, Math.floor(len / MIN_BLOCK));
  if (parts <= 1) { calls.push(m, n, k, 1, a, sa0, sa1, b, sb0, sb1, beta, c, ldc, 0); return; }
  const block = Math.ceil(Math.ceil(len / parts) / MIN_BLOCK) * MIN_BLOCK;
  for (let i = 0; i < len; i += block) {
    let w = Math.min(block, len - i);
    if (len - i - w <= 4) w = len - i; // no tail of 4 or fewer (the GEMV path would sum differently)
    if (byRows) calls.push(w, n, k, 1, a + i * sa0 * es, sa0, sa1, b, sb0, sb1, beta, c + i * ldc * es, ldc, 0);
    else calls.push(m, w, k, 1, a, sa0, sa1, b + i * sb1 * es, sb0, sb1, beta, c + i * es, ldc, 0);
  }
}

/**
 * One GEMM call (gemm_f32/gemm_f64's arguments, alpha 1), on the threads when there are several
 * and the product is large enough; otherwise the plain call with the caller's workspace `ws`.
 */
export function gemmThreaded(fn: string, m: number, n: number, k: number, a: number, sa0: number, sa1: number,
  b: number, sb0: number, sb1: number, beta: number, c: number, ldc: number, ws: number, es: number): void {
  if (activeThreads() === 1) { K[fn](m, n, k, 1, a, sa0, sa1, b, sb0, sb1, beta, c, ldc, ws); return; }
  const calls: number[] = [];
  gemmBlocks(calls, 1, m, n, k, a, sa0, sa1, b, sb0, sb1, c, es, beta, ldc);
  runGemms(fn, calls, ws);
}

/**
 * Runs GEMM calls (gemmBlocks' lists: independent products, or blocks of them) on the threads in
 * one dispatch; one call, or one thread, runs on the caller with its workspace `ws`.
 */
export function runGemms(fn: string, calls: number[], ws: number): void {
  if (activeThreads() === 1 || calls.length === GEMM_ARGS) {
    for (let i = 0; i < calls.length; i += GEMM_ARGS) {
      const args = calls.slice(i, i + GEMM_ARGS);
      args[GEMM_WS_ARG] = ws;
      K[fn](...args);
    }
    return;
  }
  runCalls(fn, calls, GEMM_ARGS, GEMM_WS_ARG, gemmWorkspace(fn, calls));
}

/**
 * The workspace bytes that every call in `calls` fits in. Not the whole product's: the kernel's
 * panel sizes split m and n evenly, so a block can need more than the matrix it was cut from
 * (n = 900 f64 packs two 452-column panels, a 456-column block one of 456), and threads whose
 * workspaces overlapped would pack over each other's panels.
 */
export function gemmWorkspace(fn: string, calls: readonly number[]): number {
  const size = K[`${fn}_workspace`];
  let bytes = 16;
  for (let i = 0; i < calls.length; i += GEMM_ARGS) bytes = Math.max(bytes, size(calls[i], calls[i + 1], calls[i + 2]));
  return bytes;
}
