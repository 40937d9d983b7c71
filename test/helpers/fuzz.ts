// Seeded mutation fuzzing shared by the parser fuzz tests (test/pt_fuzz.test.ts,
// test/parsers_fuzz.test.ts): the same cases on every run.

/** xorshift32 */
export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  return { next, int: (n: number) => next() % n, pick: <T>(a: readonly T[]): T => a[next() % a.length] };
}
export type Rng = ReturnType<typeof rng>;

/**
 * One mutation of `src`: a truncation, bit flips, interesting bytes, a 4-byte length or offset
 * replaced by a lie (little-endian, or big-endian with `bigEndian`), a range deleted or
 * duplicated, or random bytes.
 */
export function mutate(src: Uint8Array, r: Rng, bigEndian = false): Uint8Array {
  const kind = r.int(7);
  if (kind === 0) return src.slice(0, r.int(src.length)); // truncation
  let b = src.slice();
  const n = 1 + r.int(kind === 1 ? 1 : 8);
  for (let i = 0; i < n && b.length; i++) {
    const p = r.int(b.length);
    switch (kind) {
      case 1: case 2: b[p] ^= 1 << r.int(8); break; // bit flips
      case 3: b[p] = r.pick([0, 1, 0x7f, 0x80, 0xfe, 0xff, r.int(256)]); break; // interesting bytes
      case 4: { // a 4-byte length or offset replaced
        const v = r.pick([0, 1, 0x7fffffff, 0x80000000, 0xffffffff, r.next(), b.length, b.length + 1]);
        for (let k = 0; k < 4 && p + k < b.length; k++) b[p + k] = (v >>> (8 * (bigEndian ? 3 - k : k))) & 0xff;
        break;
      }
      case 5: { // delete or duplicate a range
        const q = Math.min(b.length, p + 1 + r.int(32));
        b = r.int(2) ? new Uint8Array([...b.subarray(0, p), ...b.subarray(q)]) : new Uint8Array([...b.subarray(0, q), ...b.subarray(p)]);
        break;
      }
      default: b[p] = r.int(256);
    }
  }
  return b;
}
