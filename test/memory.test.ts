// Memory: garbage-collected storage keeps a PyTorch-style loop flat with no dispose calls, and
// dispose / using / scope release deterministically. See docs/MEMORY.md.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import { HEAP_START } from '../ts/backend/wasm/heap.js';

describe('memory', () => {
  it('a 10,000-iteration loop that drops its tensors keeps process memory flat, with no dispose calls', () => {
    const x = torch.randn([128, 256]); // 128 KiB per tensor
    const iterate = (n: number) => {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const y = x.mul(1.5).add(i).relu();
        const s = y.sum();
        acc += s.itemSync() as number;
      }
      return acc;
    };
    iterate(1000); // warm-up
    const before = process.memoryUsage();
    iterate(10_000); // allocates ~4 GB in total
    const after = process.memoryUsage();
    const grown = (after.rss - before.rss) / 2 ** 20;
    expect(grown).toBeLessThan(200);
    // the kernel heap grows only by what the program releases: nothing here, so its first HEAP_START at most
    expect(torch.memory().wasmBytes).toBeLessThan(16 * 2 ** 20 + HEAP_START);
  });

  it('dispose() releases now; using a released tensor throws a clear error', () => {
    const m0 = torch.memory();
    const t = torch.zeros([1000]);
    expect(torch.memory().bytes - m0.bytes).toBe(4000);
    expect(torch.memory().tensors - m0.tensors).toBe(1);
    t.dispose();
    expect(torch.memory().bytes).toBe(m0.bytes);
    expect(torch.memory().tensors).toBe(m0.tensors);
    expect(() => t.add(1)).toThrow(/has been disposed/);
    expect(() => t.dataSync()).toThrow(/shape \[1000\], float32\) has been disposed/);
    t.dispose(); // idempotent
  });

  it('views share storage: the bytes go with the last view', () => {
    const m0 = torch.memory();
    const base = torch.ones([10, 10]);
    const v = base.t();
    base.dispose();
    expect(torch.memory().bytes - m0.bytes).toBe(400);
    expect(torch.scope(() => v.sum().itemSync())).toBe(100);
    v.dispose();
    expect(torch.memory().bytes).toBe(m0.bytes);
  });

  it('using releases at the end of the block', () => {
    const m0 = torch.memory();
    {
      using a = torch.ones([64]);
      using b = a.mul(2);
      expect(b.sum().itemSync()).toBe(128);
    }
    // the sum above was not bound with using, so it stays until GC; a and b are gone
    expect(torch.memory().bytes - m0.bytes).toBeLessThanOrEqual(4);
  });

  it('scope disposes everything created inside except the result, also across await', async () => {
    const m0 = torch.memory();
    const kept = torch.scope(() => {
      const a = torch.randn([100]);
      const b = a.mul(2).add(1);
      return { b, n: 3 };
    });
    expect(torch.memory().tensors - m0.tensors).toBe(1);
    expect(kept.b.shape).toEqual([100]);
    // across await: checked per tensor, since the GC may finalize unrelated tensors meanwhile
    const made: torch.Tensor[] = [];
    const r = await torch.scope(async () => {
      const a = torch.randn([50]);
      await new Promise((res) => setTimeout(res, 1));
      const b = a.exp();
      await Promise.resolve();
      made.push(a, b);
      return [b.sum(), torch.keep(a.clone())];
    });
    expect(made.map((t) => t.is_disposed)).toEqual([true, true]);
    expect(r.map((t) => t.is_disposed)).toEqual([false, false]);
    torch.dispose([kept, r]);
    expect(kept.b.is_disposed && r.every((t) => t.is_disposed)).toBe(true);
  });

  it('nested scopes hand results outward; a throwing scope still cleans up', () => {
    const m0 = torch.memory();
    const out = torch.scope(() => {
      const inner = torch.scope(() => torch.ones([3]).mul(2));
      return inner.add(1);
    });
    expect(torch.memory().tensors - m0.tensors).toBe(1);
    expect(() => torch.scope(() => { torch.ones([5]); throw new Error('x'); })).toThrow('x');
    expect(torch.memory().tensors - m0.tensors).toBe(1);
    out.dispose();
  });

  it('a leaf keeps its .grad across a scope', () => {
    const w = torch.ones([4], { requires_grad: true });
    torch.scope(() => { w.mul(3).sum().backward(); });
    expect(w.grad!.tolistSync()).toEqual([3, 3, 3, 3]);
  });
});
