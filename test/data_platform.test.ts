import { describe, it, expect } from 'vitest';
import { md5, gunzip, joinPath, readFile, exists } from '../ts/platform/index.js';
import { gzipSync } from 'node:zlib';

describe('platform', () => {
  it('md5 matches known digests', async () => {
    expect(await md5(new Uint8Array(0))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(await md5(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe('9e107d9d372bb6826bd81d3542a419d6');
    const big = new Uint8Array(1000).map((_, i) => i * 7);
    expect(await md5(big)).toMatch(/^[0-9a-f]{32}$/);
    for (const n of [55, 56, 63, 64, 65, 119, 120]) expect((await md5(new Uint8Array(n))).length).toBe(32);
    expect(await md5(new TextEncoder().encode('a'.repeat(56)))).toBe('3b0c8ac703f828b04c6c197006d17218');
  });
  it('gunzip round-trips and rejects truncated data', async () => {
    const raw = new Uint8Array(5000).map((_, i) => (i * 31) & 255);
    const gz = new Uint8Array(gzipSync(raw));
    expect(await gunzip(gz)).toEqual(raw);
    await expect(gunzip(gz.subarray(0, gz.length - 10), 'x.gz')).rejects.toThrow(/x\.gz: the gzip data is truncated or corrupt/);
    const bad = gz.slice(); bad[20] ^= 0xff; bad[30] ^= 0xff;
    await expect(gunzip(bad, 'y.gz')).rejects.toThrow(/truncated or corrupt/);
  });
  it('files', async () => {
    expect(joinPath('a/', '/b', 'c')).toBe('a/b/c');
    expect(await exists('/definitely/not/here')).toBe(false);
    expect((await readFile('package.json')).length).toBeGreaterThan(10);
  });
});
