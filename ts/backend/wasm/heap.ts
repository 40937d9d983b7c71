// Tensor storage inside the kernel memory (docs/MEMORY.md, "The kernel heap"): blocks below the
// scratch area that hold CPU results, so the next kernel reads them in place instead of copying
// them in, and a kernel can write its result straight into one instead of copying it out.
//
// Blocks come in size classes (four per power of two, from 4 KiB), are never split or merged, and
// go back to their class's free list when their storage is released (dispose, scopes, the
// engine's own releases, or the garbage collector's finalizers between event-loop turns). The
// heap only grows while no op holds scratch memory, and only by as many bytes as the program has
// released (plus a first HEAP_START), never past HEAP_CAP: a synchronous loop that never releases anything
// (its finalizers cannot run inside the loop) gets JS arrays once that credit is spent, exactly as
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

type ArrayCtor = new (buffer: ArrayBufferLike, offset: number, length: number) => TypedArray;

export class Heap {
  /** bytes in blocks, free or not */
  carved = 0;
  /** bytes in free blocks */
  free = 0;
  /** bytes the heap may still grow by */
  credit = HEAP_START;
  private readonly lists = new Map<number, number[]>();
  /** block address -> its class (every block ever carved) */
  private readonly blocks = new Map<number, number>();
  /** blocks handed out and not given back (a second release of one is ignored) */
  private readonly used = new Set<number>();
  /** classes asked for and not served since the last op boundary */
  private wants: number[] = [];
  /** result blocks of the op in progress that no `take` has claimed yet */
  private readonly pending: number[] = [];
  /** every buffer object the memory has handed out (one per growth) */
  private readonly ours = new WeakSet<ArrayBufferLike>();

  /** `carve(bytes)` reserves memory below the scratch area and returns its address, or -1 while an op holds scratch memory. */
  constructor(private readonly carve: (bytes: number) => number, private readonly memory: WebAssembly.Memory) {}

  /** The address of `a` when it is a block's array, else -1. */
  address(a: TypedArray): number {
    return this.ours.has(a.buffer) && this.blocks.has(a.byteOffset) ? a.byteOffset : -1;
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

  /** Returns block `p` to its free list. */
  give(p: number): void {
    if (!this.used.delete(p)) return;
    const c = this.blocks.get(p)!;
    this.lists.get(c)!.push(p);
    this.free += c;
  }

  /** The program released `bytes` of CPU storage (a block or a JS array): the heap may grow by as much. */
  released(bytes: number): void { this.credit = Math.min(HEAP_CAP, this.credit + bytes); }

  /** A free block of `bytes`' class, carving one when the op boundary allows; -1 when none. */
  private block(bytes: number): number {
    if (bytes < HEAP_MIN) return -1;
    const c = sizeClass(bytes);
    const p = this.lists.get(c)?.pop();
    if (p !== undefined) {
      this.free -= c;
      this.used.add(p);
      return p;
    }
    if (this.grow(c)) return this.block(bytes);
    this.wants.push(c);
    return -1;
  }

  /** Carves a block of class `c` if the credit and the cap allow and no op holds scratch memory. */
  private grow(c: number): boolean {
    if (c > this.credit || this.carved + c > HEAP_CAP) return false;
    const p = this.carve(c);
    if (p < 0) return false;
    this.credit -= c;
    this.carved += c;
    this.blocks.set(p, c);
    if (!this.lists.has(c)) this.lists.set(c, []);
    this.lists.get(c)!.push(p);
    this.free += c;
    return true;
  }
}
