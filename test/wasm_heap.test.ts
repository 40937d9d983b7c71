// The kernel heap (ts/backend/wasm/heap.ts, docs/MEMORY.md): CPU results living in the kernel
// memory, read in place by the next kernel. What must hold: results land there once the program
// has released memory; kernels that update a copy of an input never write through the input's own
// block; released blocks come back and are reused; a loop that never releases anything does not
// grow the heap past its first allowance.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import { kernelHeap } from '../ts/backend/wasm/runtime.js';
import { Heap, HEAP_START, HEAP_CAP, sizeClass } from '../ts/backend/wasm/heap.js';

const heap = kernelHeap();
const inHeap = (t: torch.Tensor): boolean => heap!.address((t as any)._storage.data) >= 0;
/** a result of `f`, made in a scope (results go to the heap only there), that lives in the heap: the first call may miss */
function heapResult(f: () => torch.Tensor): torch.Tensor {
  for (let i = 0; i < 4; i++) {
    const t = torch.scope(f);
    if (inHeap(t)) return t;
    t.dispose();
  }
  throw new Error('no heap block after 4 tries');
}
const vals = (t: torch.Tensor): number[] => Array.from(t.dataSync() as Float32Array);

describe.skipIf(!heap)('kernel heap', () => {
  it('size classes: four per power of two, never below the request', () => {
    expect(sizeClass(4096)).toBe(4096);
    expect(sizeClass(4097)).toBe(5120);
    expect(sizeClass(28_000_000)).toBe(29_360_128);
    for (const b of [5000, 65_537, 1_000_000, 3_000_001]) {
      expect(sizeClass(b)).toBeGreaterThanOrEqual(b);
      expect(sizeClass(b)).toBeLessThanOrEqual(b * 1.25);
    }
  });

  it('released results come back: a loop of scopes stops carving after its first steps, and kernels read blocks in place', () => {
    const a = torch.arange(4096).float();
    const carved: number[] = [];
    for (let i = 0; i < 6; i++) {
      torch.scope(() => {
        const x = a.mul(2), y = x.add(1); // y's kernel reads x where it lives
        expect(vals(y).slice(0, 3)).toEqual([1, 3, 5]);
        if (i >= 2) expect([inHeap(x), inHeap(y)]).toEqual([true, true]);
      });
      carved.push(heap!.carved);
    }
    expect(new Set(carved.slice(2)).size).toBe(1);
    const x = heapResult(() => a.mul(2));
    const free = heap!.free;
    x.dispose();
    expect(heap!.free).toBe(free + sizeClass(4096 * 4));
    a.dispose();
  });

  it('addmm with a full-shape input accumulates into a copy: the input block is unchanged', () => {
    const c = heapResult(() => torch.ones([32, 32]).mul(1));
    const before = vals(c);
    const r = torch.addmm(c, torch.ones([32, 8]), torch.ones([8, 32]));
    expect(vals(r)[0]).toBe(9);
    expect(vals(c)).toEqual(before);
    torch.dispose([c, r]);
  });

  it('scatter and scatter_add update a copy of x, not x', () => {
    const x = heapResult(() => torch.zeros([64, 64]).add(1));
    const idx = torch.zeros([1, 64], { dtype: torch.int64 });
    const s = x.scatter(0, idx, 5);
    const sa = x.scatter_add(0, idx, torch.ones([1, 64]));
    expect(vals(s)[0]).toBe(5);
    expect(vals(sa)[0]).toBe(2);
    expect(vals(x).every((v) => v === 1)).toBe(true);
    torch.dispose([x, s, sa]);
  });

  it('in-place ops and copies write the block itself; an overlapping copy reads the source first', () => {
    const x = heapResult(() => torch.arange(2048).float().mul(1));
    const addr = heap!.address((x as any)._storage.data);
    x.mul_(2).add_(1);
    expect(heap!.address((x as any)._storage.data)).toBe(addr);
    expect(vals(x).slice(0, 3)).toEqual([1, 3, 5]);
    // a transpose copied into its own storage (PyTorch refuses this overlap; webtorch copies the
    // source as it was): the strided copy must read a copy of the source, not the block it writes
    const w = heapResult(() => torch.arange(4096).float().mul(1)).view([64, 64]);
    const wt = w.t().contiguous();
    w.copy_(w.t());
    expect(vals(w)).toEqual(vals(wt));
    wt.dispose();
    torch.dispose([x, w]);
  });

  it('a JS-array storage that an op reads moves into a block, with its views, and stays writable', () => {
    const w = torch.tensor(Array.from({ length: 64 * 64 }, (_, i) => i % 7)).float().view([64, 64]);
    torch.scope(() => { torch.ones([64, 64]).mul(1); }); // release something so that a block is free
    const v = w.t(); // a view sharing w's storage
    const before = vals(w);
    const product = () => torch.scope(() => w.matmul(torch.ones([64, 1])));
    let y = product();
    for (let i = 0; i < 3 && !inHeap(w); i++) { y.dispose(); y = product(); }
    expect(inHeap(w)).toBe(true);
    expect(vals(w)).toEqual(before);
    expect(vals(y)[1]).toBe(before.slice(64, 128).reduce((a, b) => a + b, 0));
    w.mul_(2); // written where it now lives, seen through the view
    expect(vals(v.t())).toEqual(before.map((x) => 2 * x));
    torch.dispose([w, v, y]);
  });

  it('GEMM on two threads reads heap operands in place', () => {
    const n0 = torch.get_num_threads();
    torch.set_num_threads(2);
    try {
      const a = heapResult(() => torch.ones([96, 64]).mul(0.5));
      const b = heapResult(() => torch.ones([64, 80]).mul(2));
      const c = a.matmul(b);
      expect(vals(c).every((v) => v === 64)).toBe(true);
      torch.dispose([a, b, c]);
    } finally { torch.set_num_threads(n0); }
  });

  it('a block released twice (dispose, then the storage released again) is listed once', () => {
    const x = heapResult(() => torch.ones([4096]).mul(1));
    const s = (x as any)._storage;
    x.dispose();
    const free = heap!.free;
    s.account.released = false; // force a second release of the same block
    s.account.release();
    expect(heap!.free).toBe(free);
  });

  it('outside any scope results are JS arrays: the garbage collector sees their bytes', () => {
    const a = torch.ones([64, 64]);
    for (let i = 0; i < 3; i++) torch.scope(() => { a.mul(2); }); // blocks of this size are free now
    const free = heap!.free;
    const x = a.mul(2);
    expect(inHeap(x)).toBe(false);
    expect(heap!.free).toBe(free);
    torch.dispose([a, x]);
  });

  it('a synchronous loop that releases nothing leaves the heap within its first allowance', () => {
    const x = torch.randn([128, 256]);
    const carved = heap!.carved, credit = heap!.credit;
    for (let i = 0; i < 2000; i++) x.mul(1.5).add(i).relu().sum().itemSync();
    expect(credit).toBeLessThanOrEqual(HEAP_CAP);
    expect(heap!.carved - carved).toBeLessThanOrEqual(credit);
    expect(heap!.carved).toBeLessThan(HEAP_START + 64 * 2 ** 20);
    x.dispose();
  });
});

// The allocator alone, over a memory of its own: released blocks merge with free neighbours and
// larger free blocks split, so one workload's released sizes serve another's.
describe('kernel heap allocator', () => {
  const KiB = 1024;
  function fresh(credit: number): { h: Heap; grab: (bytes: number) => number } {
    const memory = new WebAssembly.Memory({ initial: 1 });
    let end = 65536;
    const h = new Heap((bytes) => {
      const p = end;
      end += bytes;
      if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
      return p;
    }, memory);
    h.credit = credit;
    const grab = (bytes: number): number => h.array(Uint8Array as never, bytes, bytes)?.byteOffset ?? -1;
    return { h, grab };
  }

  it('released neighbours merge: four 16 KiB blocks serve one 64 KiB request without growing', () => {
    const { h, grab } = fresh(64 * KiB);
    const ps = [0, 1, 2, 3].map(() => grab(16 * KiB));
    expect(ps.every((p) => p >= 0)).toBe(true);
    expect(h.carved).toBe(64 * KiB);
    expect(grab(16 * KiB)).toBe(-1); // no credit left, nothing free
    for (const p of [ps[2], ps[0], ps[3], ps[1]]) h.give(p); // in any order
    expect(h.free).toBe(64 * KiB);
    expect(grab(64 * KiB)).toBe(Math.min(...ps));
    expect([h.carved, h.free]).toEqual([64 * KiB, 0]);
  });

  it('a larger free block splits, and the smallest block that fits is taken', () => {
    const { h, grab } = fresh(96 * KiB);
    const big = grab(64 * KiB), small = grab(16 * KiB), fence = grab(16 * KiB);
    h.give(big);
    h.give(small);
    // big and small are neighbours: one free block of 80 KiB; the fence keeps the rest apart
    expect(grab(20 * KiB)).toBe(big);
    expect(grab(40 * KiB)).toBe(big + 20 * KiB);
    expect(grab(20 * KiB)).toBe(big + 60 * KiB);
    expect(h.free).toBe(0);
    h.give(fence);
    h.give(big + 20 * KiB); // 40 KiB and 16 KiB free, apart
    expect(grab(16 * KiB)).toBe(fence);
    expect(h.free).toBe(40 * KiB);
  });

  it('a second workload of other sizes reuses what the first released (no JS-array fallback)', () => {
    const { h, grab } = fresh(HEAP_CAP);
    const first = Array.from({ length: 40 }, (_, i) => grab(sizeClass((3 + (i % 5)) * 1_000_000)));
    expect(first.every((p) => p >= 0)).toBe(true);
    h.credit = 0; // the heap may not grow any more (the second workload's 178 MB fit in the first's 210)
    first.forEach((p) => h.give(p));
    const second = Array.from({ length: 16 }, (_, i) => grab((7 + (i % 3)) * 1_300_000));
    expect(second.every((p) => p >= 0)).toBe(true);
  });

  it('a released block is still known as the heap\'s (so the reuse pool never takes it); a second release is ignored', () => {
    const { h } = fresh(64 * KiB);
    const a = h.array(Float32Array as never, 4096, 16 * KiB)!;
    const p = a.byteOffset;
    h.give(p);
    expect(h.address(a)).toBe(p);
    expect(h.address(new Float32Array(4096))).toBe(-1);
    const free = h.free;
    h.give(p);
    expect(h.free).toBe(free);
  });
});
