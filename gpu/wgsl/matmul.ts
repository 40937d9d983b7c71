// The tiled matrix-product kernel: C[z] (=|+=) A[z] @ B[z] over a batch on dispatch z.
//
// Each workgroup computes a BM x BN tile of C with TX x TY threads, each holding a TM x TN block
// of accumulators in registers (as vec4 rows). K advances in BK-deep slices that the whole
// workgroup stages in workgroup memory, stored k-major so a thread reads its A column and B row
// as vec4s. A and B are read through arbitrary row/column strides and offsets, so transposed and
// broadcast views need no copy; edge tiles are zero-padded at staging time, so the inner loop has
// no bounds checks.
//
// Split-K: a dispatch may cut K into `splits` chunks (z = batch * splits + split); each chunk
// writes its partial tile to a temporary, and the reduce kernel below sums the chunks in a fixed
// order (deterministic, no atomics). This keeps the GPU busy on products with a small output and
// a long K (the weight gradient of a convolution).
import type { Word } from './types.js';
import { MAIN_1D, LINEAR_ID } from '../runtime.js';

export interface Tile { BM: number; BN: number; BK: number; TM: number; TN: number }

/** What the output conversion does to the accumulated word. */
export type Post = 'none' | 'u8' | 'bool';

export interface MatmulSpec {
  word: Word;
  post: Post;
  /** C += A @ B instead of C = A @ B */
  acc: boolean;
  tile: Tile;
  /** stage A with consecutive threads along k (A's k-stride is 1) rather than along m */
  aKFast: boolean;
  /** stage B with consecutive threads along n (B's n-stride is 1) rather than along k */
  bNFast: boolean;
}

/**
 * Params (u32 words): 0 M, 1 N, 2 K, 3 ars, 4 acs, 5 brs, 6 bcs, 7 ldc, 8 cOff, 9 cBatch,
 * 10 aOff, 11 bOff, 12 zBase, 13 mTileBase, 14 nTileBase, 15 splits, 16 kChunk, 17 nbd,
 * then the batch shape [nbd], A's batch strides [nbd], B's batch strides [nbd].
 * z = batch index * splits + split; C's element (z, m, n) is at cOff + z*cBatch + m*ldc + n.
 */
export const MATMUL_PARAMS_HEAD = 18;

export const matmulKey = (s: MatmulSpec): string =>
  `matmul_${s.word}_${s.post}_${s.acc ? 'acc' : 'set'}_${s.tile.BM}x${s.tile.BN}x${s.tile.BK}_${s.tile.TM}x${s.tile.TN}_${s.aKFast ? 'ak' : 'am'}${s.bNFast ? 'bn' : 'bk'}`;

export const threadsOf = (t: Tile): [number, number] => [t.BN / t.TN, t.BM / t.TM];

/** Workgroup memory of a tile config, in bytes (rows padded by one vec4 against bank conflicts). */
export const tileStorageBytes = (t: Tile): number => t.BK * (t.BM / 4 + 1) * 16 + t.BK * (t.BN / 4 + 1) * 16;

/** The stored word for accumulated value `e`: uint8 wraps as PyTorch's casts do, bool is e != 0. */
function postExpr(e: string, post: Post): string {
  if (post === 'u8') return `(${e} & 255u)`;
  if (post === 'bool') return `select(0u, 1u, ${e} != 0u)`;
  return e;
}

/** The statement storing accumulated value `v` into C[o] (added to what is there when `acc`). */
const storeStmt = (o: string, v: string, post: Post, acc: boolean): string =>
  `C[${o}] = ${postExpr(acc ? `C[${o}] + ${v}` : v, post)};`;

export function matmulSource(s: MatmulSpec): string {
  const { BM, BN, BK, TM, TN } = s.tile;
  const [TX, TY] = threadsOf(s.tile);
  const NT = TX * TY;
  const w = s.word, V = `vec4<${w}>`;
  const RA = BM / 4 + 1, RB = BN / 4 + 1; // row strides of the staged tiles, in vec4s
  if (TM % 4 || TN % 4 || (BM * BK) % NT || (BN * BK) % NT) throw new Error(`matmul: bad tile ${JSON.stringify(s.tile)}`);
  const zero = w === 'f32' ? '0.0' : `${w}(0)`;
  const lines: string[] = [];
  const L = (x: string) => lines.push(x);

  // staging: each thread moves RA_N elements of A and RB_N of B per K slice, through registers, so
  // the global loads of the next slice are in flight while the current one is multiplied.
  // Which tile element a thread moves never changes: its row/column base is computed once.
  const RA_N = (BM * BK) / NT, RB_N = (BN * BK) / NT;
  for (let r = 0; r < RA_N; r++) {
    const e = `(li + ${r * NT}u)`;
    const [mm, kk] = s.aKFast ? [`${e} / ${BK}u`, `${e} % ${BK}u`] : [`${e} % ${BM}u`, `${e} / ${BM}u`];
    L(`  let am${r} = ${mm}; let ak${r} = ${kk}; let aIn${r} = m0 + am${r} < M; let aRow${r} = aO + (m0 + am${r}) * ars;`);
    L(`  let aDst${r} = ak${r} * ${RA}u + am${r} / 4u; let aLane${r} = am${r} % 4u; var ra${r} = ${zero};`);
  }
  for (let r = 0; r < RB_N; r++) {
    const e = `(li + ${r * NT}u)`;
    const [nn, kk] = s.bNFast ? [`${e} % ${BN}u`, `${e} / ${BN}u`] : [`${e} / ${BK}u`, `${e} % ${BK}u`];
    L(`  let bn${r} = ${nn}; let bk${r} = ${kk}; let bIn${r} = n0 + bn${r} < N; let bCol${r} = bO + (n0 + bn${r}) * bcs;`);
    L(`  let bDst${r} = bk${r} * ${RB}u + bn${r} / 4u; let bLane${r} = bn${r} % 4u; var rb${r} = ${zero};`);
  }
  const setup = lines.splice(0).join('\n');
  for (let r = 0; r < RA_N; r++) {
    L(`    { let k = kb + ak${r}; ra${r} = ${zero}; if (aIn${r} && k < kEnd) { ra${r} = A[aRow${r} + k * acs]; } }`);
  }
  for (let r = 0; r < RB_N; r++) {
    L(`    { let k = kb + bk${r}; rb${r} = ${zero}; if (bIn${r} && k < kEnd) { rb${r} = B[bCol${r} + k * brs]; } }`);
  }
  const load = lines.splice(0).join('\n');
  for (let r = 0; r < RA_N; r++) L(`    As[aDst${r}][aLane${r}] = ra${r};`);
  for (let r = 0; r < RB_N; r++) L(`    Bs[bDst${r}][bLane${r}] = rb${r};`);
  const stage = lines.splice(0).join('\n');

  // the inner product over one staged slice, unrolled over its BK rows: thread rows
  // (ty + i*TY)*4 + c and columns (tx + j*TX)*4 + c, so a warp reads consecutive vec4s of B
  const MI = TM / 4, NJ = TN / 4;
  for (let kr = 0; kr < BK; kr++) {
    L('    {');
    for (let i = 0; i < MI; i++) L(`      let a${i} = As[${kr * RA + i * TY}u + ty];`);
    for (let j = 0; j < NJ; j++) L(`      let b${j} = Bs[${kr * RB + j * TX}u + tx];`);
    for (let r = 0; r < TM; r++) {
      const a = `${V}(a${r >> 2}.${'xyzw'[r & 3]})`;
      for (let j = 0; j < NJ; j++) {
        L(w === 'f32' ? `      c${r}_${j} = fma(${a}, b${j}, c${r}_${j});` : `      c${r}_${j} = c${r}_${j} + ${a} * b${j};`);
      }
    }
    L('    }');
  }
  const inner = lines.splice(0).join('\n');

  for (let r = 0; r < TM; r++) {
    L(`  { let m = m0 + (ty + ${(r >> 2) * TY}u) * 4u + ${r & 3}u;`);
    L(`    if (m < M) { let row = cO + m * ldc;`);
    for (let j = 0; j < NJ; j++) {
      for (let c = 0; c < 4; c++) {
        L(`      { let n = n0 + (tx + ${j * TX}u) * 4u + ${c}u; if (n < N) { ${storeStmt('row + n', `c${r}_${j}.${'xyzw'[c]}`, s.post, s.acc)} } }`);
      }
    }
    L('    } }');
  }
  const store = lines.splice(0).join('\n');

  const accs: string[] = [];
  for (let r = 0; r < TM; r++) for (let j = 0; j < NJ; j++) accs.push(`  var c${r}_${j} = ${V}(${zero});`);

  return `
@group(0) @binding(0) var<storage, read> A: array<${w}>;
@group(0) @binding(1) var<storage, read> B: array<${w}>;
@group(0) @binding(2) var<storage, read_write> C: array<${w}>;
@group(0) @binding(3) var<storage, read> P: array<u32>;
var<workgroup> As: array<${V}, ${BK * RA}>;
var<workgroup> Bs: array<${V}, ${BK * RB}>;

@compute @workgroup_size(${TX}, ${TY})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let M = P[0]; let N = P[1]; let K = P[2];
  let ars = P[3]; let acs = P[4]; let brs = P[5]; let bcs = P[6]; let ldc = P[7];
  let z = P[12] + wid.z;
  let splits = P[15]; let kChunk = P[16];
  let bz = z / splits;
  let kStart = (z % splits) * kChunk;
  let kEnd = min(K, kStart + kChunk);
  // batch offsets of A and B from the (broadcast) batch index
  let nbd = P[17];
  var aO = P[10]; var bO = P[11]; var rem = bz;
  for (var d = nbd; d > 0u; d--) {
    let size = P[${MATMUL_PARAMS_HEAD - 1}u + d];
    let idx = rem % size; rem = rem / size;
    aO += idx * P[${MATMUL_PARAMS_HEAD - 1}u + nbd + d];
    bO += idx * P[${MATMUL_PARAMS_HEAD - 1}u + 2u * nbd + d];
  }
  let cO = P[8] + z * P[9];
  let m0 = (P[13] + wid.y) * ${BM}u;
  let n0 = (P[14] + wid.x) * ${BN}u;
  let tx = lid.x; let ty = lid.y;
${accs.join('\n')}
${setup}
  {
    let kb = kStart;
${load}
  }
  for (var k0 = kStart; k0 < kEnd; k0 += ${BK}u) {
${stage}
    workgroupBarrier();
    if (k0 + ${BK}u < kEnd) {
      let kb = k0 + ${BK}u;
${load}
    }
${inner}
    workgroupBarrier();
  }
${store}
}`;
}

export const splitReduceKey = (w: Word, post: Post, acc: boolean, W: number): string => `matmul_splitk_${w}_${post}_${acc ? 'acc' : 'set'}_${W}`;

/**
 * Sums the split-K partials T[(b*splits + s)*M*N + m*N + n] over s into
 * C[cOff + b*cBatch + m*ldc + n]. Params: 0 total (nb*M*N), 1 M, 2 N, 3 splits, 4 ldc, 5 cOff, 6 cBatch.
 */
export function splitReduceSource(w: Word, post: Post, acc: boolean, W: number): string {
  const zero = w === 'f32' ? '0.0' : `${w}(0)`;
  return `
@group(0) @binding(0) var<storage, read> T: array<${w}>;
@group(0) @binding(1) var<storage, read_write> C: array<${w}>;
@group(0) @binding(2) var<storage, read> P: array<u32>;
${MAIN_1D(W)} {
  ${LINEAR_ID}
  if (i >= P[0]) { return; }
  let M = P[1]; let N = P[2]; let splits = P[3];
  let mn = M * N;
  let b = i / mn; let r = i % mn;
  var s = ${zero};
  for (var k = 0u; k < splits; k++) { s += T[(b * splits + k) * mn + r]; }
  let o = P[5] + b * P[6] + (r / N) * P[4] + r % N;
  ${storeStmt('o', 's', post, acc)}
}`;
}
