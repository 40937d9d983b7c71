// Tensor storage inside the kernel memory (docs/MEMORY.md, "The kernel heap"): blocks below the
// scratch area that hold CPU results, so the next kernel reads them in place instead of copying
// them in, and a kernel can write its result straight into one instead of copying it out.
//
// Requests are rounded up to size classes (four per power of two, from 4 KiB). A request takes
// the smallest free block that holds it, split when larger; a released block merges with free
// neighbours, so memory freed by one workload serves another of different sizes (without merging,
// a second model trained in the same process found the heap full of the first one's sizes).
// Blocks go back when their storage is released (dispose, scopes, the engine's own releases, or
// the garbage collector's finalizers between event-loop turns). The heap only grows while no op
// holds scratch memory, and only by as many bytes as the program has released (plus a first
// HEAP_START), never past HEAP_CAP: a synchronous loop that never releases anything (its
// finalizers cannot run inside the loop) gets JS arrays once that credit is spent, exactly as
// without the heap, so memory stays bounded where it was bounded before.
//
// Only over a shared memory: growing it never detaches its buffers, so an array over a block
// stays valid. A chunk of its own in the bundles (rollup.config.mjs), imported only then.
import type { TypedArray } from '../../dtype.js';

export const HEAP_START = 32 * 2 ** 20, HEAP_CAP = 512 * 2 ** 20;
/** results smaller than this stay JS arrays (small arrays share slabs; their copies cost little) */
const HEAP_MIN = 4096;

/** The block size serving `bytes`: 1, 1.25, 1.5 or 1.75 times a power of two. */
export function sizeClass(bytes: number): number {
  const q = 2 ** Math.floor(Math.log2(bytes)) / 4;
  return Math.max(64, Math.ceil(bytes / q) * q);
}

/** The bin of a free block of `bytes` (at least 64): the largest size class not above it. */
const binOf = (bytes: number): number => {
  const e = 31 - Math.clz32(bytes);
  return (e - 6) * 4 + ((bytes >>> (e - 2)) & 3);
};

type ArrayCtor = new (buffer: ArrayBufferLike, offset: number, length: number) => TypedArray;

export class Heap {
  /** bytes in blocks, free or not */
  carved = 0;
  /** bytes in free blocks */
  free = 0;
  /** bytes the heap may still grow by */
  credit = HEAP_START;
  /** free blocks: address -> size, end address -> address (a release merges through these), and by bin */
  private readonly freeAt = new Map<number, number>();
  private readonly freeEnd = new Map<number, number>();
  private readonly bins: Set<number>[] = [];
  /** blocks handed out and not given back: address -> size (a second release of one is ignored) */
  private readonly used = new Map<number, number>();
  /** the carved address ranges, [start, end) pairs in order (neighbouring carves join) */
  private readonly ranges: number[] = [];
  /** classes asked for and not served since the last op boundary */
  private wants: number[] = [];
  /** result blocks of the op in progress that no `take` has claimed yet */
  private readonly pending: number[] = [];
  /** every buffer object the memory has handed out (one per growth) */
  private readonly ours = new WeakSet<ArrayBufferLike>();

  /** `carve(bytes)` reserves memory below the scratch area and returns its address, or -1 while an op holds scratch memory. */
  constructor(private readonly carve: (bytes: number) => number, private readonly memory: WebAssembly.Memory) {}

  /** The address of `a` when it is an array over a heap block (in use or released), else -1. */
  address(a: TypedArray): number {
    if (!this.ours.has(a.buffer)) return -1;
    const p = a.byteOffset, r = this.ranges;
    for (let i = 0; i < r.length; i += 2) if (p >= r[i] && p < r[i + 1]) return p;
    return -1;
  }

  /** A block for an op's result of `bytes`, which `take` hands over without a copy; -1 when none is free. */
  result(bytes: number): number {
    const p = this.block(bytes);
    if (p >= 0) this.pending.push(p);
    return p;
  }

  /**
   * The `n` elements at `ptr` (`bytes` long) as an array over a block: the op's result block
   * itself, or a copy in a free one; null when none is free.
   */
  take(ptr: number, ctor: ArrayCtor, n: number, bytes: number): TypedArray | null {
    const i = this.pending.indexOf(ptr);
    if (i < 0) {
      const a = this.array(ctor, n, bytes);
      if (a) new Uint8Array(a.buffer).copyWithin(a.byteOffset, ptr, ptr + bytes);
      return a;
    }
    const buf = this.memory.buffer;
    this.ours.add(buf);
    return new ctor(buf, this.pending.splice(i, 1)[0], n);
  }

  /** A new array of `n` elements (`bytes` long) over a free block (stale contents), or null. */
  array(ctor: ArrayCtor, n: number, bytes: number): TypedArray | null {
    const p = this.block(bytes);
    if (p < 0) return null;
    const buf = this.memory.buffer;
    this.ours.add(buf);
    return new ctor(buf, p, n);
  }

  /** The op is over: result blocks it did not hand out (it failed, or converted them) go back. */
  endOp(): void { while (this.pending.length) this.give(this.pending.pop()!); }

  /** At an op boundary: carves the blocks that the last ops asked for and did not get. */
  settle(): void {
    const w = this.wants;
    if (!w.length) return;
    this.wants = [];
    for (const c of w) if (!this.grow(c)) break;
  }

  /** Returns block `p` to the free blocks, merged with free neighbours. */
  give(p: number): void {
    const size = this.used.get(p);
    if (size === undefined) return;
    this.used.delete(p);
    this.free += size;
    this.insert(p, size);
  }

  /** The program released `bytes` of CPU storage (a block or a JS array): the heap may grow by as much. */
  released(bytes: number): void { this.credit = Math.min(HEAP_CAP, this.credit + bytes); }

  /** A block of `bytes`' class, carving one when the op boundary allows; -1 when none. */
  private block(bytes: number): number {
    if (bytes < HEAP_MIN) return -1;
    const c = sizeClass(bytes);
    let p = this.fit(c);
    if (p < 0 && this.grow(c)) p = this.fit(c);
    if (p < 0) { this.wants.push(c); return -1; }
    const size = this.freeAt.get(p)!;
    this.remove(p, size);
    if (size > c) this.insert(p + c, size - c);
    this.used.set(p, c);
    this.free -= c;
    return p;
  }

  /** The address of a free block of at least `c` bytes (a class), from the smallest bin that has one; -1 when none. */
  private fit(c: number): number {
    for (let b = binOf(c); b < this.bins.length; b++) {
      const s = this.bins[b];
      if (s && s.size) for (const p of s) return p;
    }
    return -1;
  }

  /** Carves `c` bytes as a free block if the credit and the cap allow and no op holds scratch memory. */
  private grow(c: number): boolean {
    if (c > this.credit || this.carved + c > HEAP_CAP) return false;
    const p = this.carve(c);
    if (p < 0) return false;
    this.credit -= c;
    this.carved += c;
    this.free += c;
    const r = this.ranges;
    if (r.length && r[r.length - 1] === p) r[r.length - 1] = p + c;
    else r.push(p, p + c);
    this.insert(p, c);
    return true;
  }

  /** Lists the free range [p, p + size), merged with the free blocks on either side. */
  private insert(p: number, size: number): void {
    const next = this.freeAt.get(p + size);
    if (next !== undefined) { this.remove(p + size, next); size += next; }
    const prev = this.freeEnd.get(p);
    if (prev !== undefined) { this.remove(prev, p - prev); size += p - prev; p = prev; }
    this.freeAt.set(p, size);
    this.freeEnd.set(p + size, p);
    (this.bins[binOf(size)] ??= new Set()).add(p);
  }

  private remove(p: number, size: number): void {
    this.freeAt.delete(p);
    this.freeEnd.delete(p + size);
    this.bins[binOf(size)].delete(p);
  }
}
