// CRC-32 (the zip polynomial, reflected 0xEDB88320), slicing-by-4 for speed: checkpoints can be
// hundreds of megabytes, and every zip entry is checked on read and stamped on write.

const T = new Int32Array(4 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) {
  for (let s = 1; s < 4; s++) T[s * 256 + n] = T[(s - 1) * 256 + n] >>> 8 ^ T[T[(s - 1) * 256 + n] & 0xff];
}

/** The CRC-32 of `b`, as an unsigned 32-bit number. */
export function crc32(b: Uint8Array): number {
  let c = -1, i = 0;
  const n = b.length, n4 = n & ~3;
  for (; i < n4; i += 4) {
    c ^= b[i] | b[i + 1] << 8 | b[i + 2] << 16 | b[i + 3] << 24;
    c = T[768 + (c & 0xff)] ^ T[512 + (c >>> 8 & 0xff)] ^ T[256 + (c >>> 16 & 0xff)] ^ T[c >>> 24];
  }
  for (; i < n; i++) c = T[(c ^ b[i]) & 0xff] ^ c >>> 8;
  return (c ^ -1) >>> 0;
}
