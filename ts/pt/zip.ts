// The zip container of PyTorch checkpoints (torch.save since 1.6): reading any zip a PyTorch or a
// zip tool wrote (stored or deflate entries, data descriptors, zip64), and writing PyTorch's own
// layout (stored entries whose data starts on a 64-byte boundary, as PyTorch's writer pads them,
// so that readers can map tensors in place).
//
// Every offset and size is checked against the file before use, and every entry's CRC-32 is
// checked when it is read, so truncated or corrupt archives fail with a `torch.load:` error.
import { fail } from './errors.js';
import { crc32 } from './crc32.js';
import { inflateRaw } from '../platform/inflate.js';

const SIG_LOCAL = 0x04034b50, SIG_CENTRAL = 0x02014b50, SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50, SIG_LOC64 = 0x07064b50;

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>;
  /** The first entry's name, in archive order (PyTorch takes its top folder as the archive name). */
  first: string;
  /** The bytes of an entry, checked (a view into the file for stored entries). */
  read(e: ZipEntry): Uint8Array;
}

export function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}

/** Parses the central directory of `bytes`. */
export function readZip(bytes: Uint8Array): ZipArchive {
  const n = bytes.length;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (p: number) => dv.getUint16(p, true), u32 = (p: number) => dv.getUint32(p, true);
  const u64 = (p: number, what: string): number => {
    const lo = u32(p), hi = u32(p + 4);
    if (hi >= 0x200000) fail(`zip: ${what} ${hi * 2 ** 32 + lo} is impossibly large`);
    return hi * 2 ** 32 + lo;
  };
  if (n < 22) fail(`zip: ${n} bytes is too short for a zip archive (truncated file?)`);
  // the end-of-central-directory record: 22 bytes plus a comment of at most 65535 bytes
  let eocd = -1;
  for (let p = n - 22; p >= Math.max(0, n - 22 - 65535); p--) {
    if (u32(p) === SIG_EOCD && p + 22 + u16(p + 20) <= n) { eocd = p; break; }
  }
  if (eocd < 0) fail('zip: no end-of-central-directory record (the file is truncated or not a zip archive)');
  let count = u16(eocd + 10), cdSize = u32(eocd + 12), cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== SIG_LOC64) fail('zip: a zip64 archive without its zip64 locator');
    const rec = u64(loc + 8, 'zip64 record offset');
    if (rec + 56 > n || u32(rec) !== SIG_EOCD64) fail('zip: the zip64 end-of-central-directory record is missing or out of the file');
    count = u64(rec + 32, 'entry count');
    cdSize = u64(rec + 40, 'central directory size');
    cdOffset = u64(rec + 48, 'central directory offset');
  }
  if (cdOffset + cdSize > n) fail(`zip: the central directory (${cdSize} bytes at ${cdOffset}) lies outside the ${n}-byte file (truncated?)`);
  if (count * 46 > cdSize) fail(`zip: ${count} entries cannot fit in a ${cdSize}-byte central directory`);
  const entries = new Map<string, ZipEntry>();
  const utf8 = new TextDecoder('utf-8');
  let first = '';
  let p = cdOffset;
  const end = cdOffset + cdSize;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || u32(p) !== SIG_CENTRAL) fail(`zip: central directory entry ${i} is corrupt`);
    const flags = u16(p + 8), method = u16(p + 10), crc = u32(p + 16);
    let csize = u32(p + 20), usize = u32(p + 24), offset = u32(p + 42);
    const nlen = u16(p + 28), elen = u16(p + 30), clen = u16(p + 32);
    if (p + 46 + nlen + elen + clen > end) fail(`zip: central directory entry ${i} runs past the directory`);
    const name = utf8.decode(bytes.subarray(p + 46, p + 46 + nlen));
    // zip64 extra field: the 64-bit values of the fields that hold 0xffffffff, in this order
    for (let q = p + 46 + nlen, qe = q + elen; q + 4 <= qe;) {
      const id = u16(q), sz = u16(q + 2);
      if (q + 4 + sz > qe) break;
      if (id === 1) {
        let r = q + 4;
        const take = (what: string): number => {
          if (r + 8 > q + 4 + sz) fail(`zip: entry '${name}' has a short zip64 field`);
          const v = u64(r, what); r += 8; return v;
        };
        if (usize === 0xffffffff) usize = take('size');
        if (csize === 0xffffffff) csize = take('compressed size');
        if (offset === 0xffffffff) offset = take('offset');
      }
      q += 4 + sz;
    }
    if (flags & 1) fail(`zip: entry '${name}' is encrypted`);
    if (entries.has(name)) fail(`zip: the archive holds two entries named '${name}'`);
    if (i === 0) first = name;
    entries.set(name, { name, method, crc, csize, usize, offset });
    p += 46 + nlen + elen + clen;
  }
  const read = (e: ZipEntry): Uint8Array => {
    const o = e.offset;
    if (o + 30 > n || u32(o) !== SIG_LOCAL) fail(`zip: the local header of entry '${e.name}' is missing or corrupt (truncated file?)`);
    const start = o + 30 + u16(o + 26) + u16(o + 28);
    if (start + e.csize > n) fail(`zip: entry '${e.name}' (${e.csize} bytes at ${start}) runs past the end of the ${n}-byte file (truncated?)`);
    const raw = bytes.subarray(start, start + e.csize);
    let data: Uint8Array;
    if (e.method === 0) {
      if (e.csize !== e.usize) fail(`zip: stored entry '${e.name}' declares ${e.usize} bytes but holds ${e.csize}`);
      data = raw;
    } else if (e.method === 8) {
      // deflate expands at most ~1032:1; a larger declared size is a lie (and a memory bomb)
      if (e.usize > e.csize * 1032 + 1024) fail(`zip: entry '${e.name}' claims ${e.usize} bytes from ${e.csize} compressed bytes`);
      data = inflateRaw(raw, e.usize, (msg) => fail(`zip entry '${e.name}': ${msg}`));
    } else {
      return fail(`zip: entry '${e.name}' uses compression method ${e.method}; only stored (0) and deflate (8) are supported`);
    }
    const c = crc32(data);
    if (c !== e.crc) fail(`zip: entry '${e.name}' fails its CRC-32 check (corrupt file)`);
    return data;
  };
  return { entries, first, read };
}

/** Writes a zip of stored entries, each entry's data aligned to `align` bytes (PyTorch's layout). */
export function writeZip(files: { name: string; data: Uint8Array }[], align = 64): Uint8Array {
  const enc = new TextEncoder();
  const names = files.map((f) => enc.encode(f.name));
  const crcs = files.map((f) => crc32(f.data));
  // local headers with an 'FB' padding extra field so that each entry's data is aligned
  const offsets: number[] = [], pads: number[] = [];
  let pos = 0;
  files.forEach((f, i) => {
    offsets.push(pos);
    const headerEnd = pos + 30 + names[i].length;
    let pad = (align - ((headerEnd + 4) % align)) % align;
    if (f.data.length === 0) pad = 0;
    pads.push(pad);
    pos = headerEnd + (pad || f.data.length ? 4 + pad : 0) + f.data.length;
  });
  const cdStart = pos;
  const cdSize = names.reduce((s, nm) => s + 46 + nm.length, 0);
  const total = cdStart + cdSize + 22;
  if (total > 0xffffffff || files.length > 0xffff) throw new Error('torch.save: the checkpoint is larger than 4 GiB, which this zip writer does not support (save parts separately)');
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  files.forEach((f, i) => {
    const o = offsets[i];
    const extra = pads[i] || f.data.length ? 4 + pads[i] : 0;
    dv.setUint32(o, SIG_LOCAL, true);
    dv.setUint16(o + 4, 20, true);          // version needed: 2.0
    dv.setUint16(o + 6, 0x800, true);       // UTF-8 names
    dv.setUint16(o + 8, 0, true);           // stored
    dv.setUint16(o + 10, 0, true);          // time
    dv.setUint16(o + 12, 0x21, true);       // date: 1980-01-01
    dv.setUint32(o + 14, crcs[i], true);
    dv.setUint32(o + 18, f.data.length, true);
    dv.setUint32(o + 22, f.data.length, true);
    dv.setUint16(o + 26, names[i].length, true);
    dv.setUint16(o + 28, extra, true);
    out.set(names[i], o + 30);
    let d = o + 30 + names[i].length;
    if (extra) {
      dv.setUint16(d, 0x4246, true);        // 'FB', PyTorch's padding field id
      dv.setUint16(d + 2, pads[i], true);
      out.fill(0x5a, d + 4, d + 4 + pads[i]); // 'Z', as PyTorch pads
      d += 4 + pads[i];
    }
    out.set(f.data, d);
  });
  let c = cdStart;
  files.forEach((f, i) => {
    dv.setUint32(c, SIG_CENTRAL, true);
    dv.setUint16(c + 4, 20, true);          // made by: 2.0
    dv.setUint16(c + 6, 20, true);
    dv.setUint16(c + 8, 0x800, true);
    dv.setUint16(c + 10, 0, true);
    dv.setUint16(c + 12, 0, true);
    dv.setUint16(c + 14, 0x21, true);
    dv.setUint32(c + 16, crcs[i], true);
    dv.setUint32(c + 20, f.data.length, true);
    dv.setUint32(c + 24, f.data.length, true);
    dv.setUint16(c + 28, names[i].length, true);
    // extra, comment length, disk, internal and external attributes: 0
    dv.setUint32(c + 42, offsets[i], true);
    out.set(names[i], c + 46);
    c += 46 + names[i].length;
  });
  dv.setUint32(c, SIG_EOCD, true);
  dv.setUint16(c + 8, files.length, true);
  dv.setUint16(c + 10, files.length, true);
  dv.setUint32(c + 12, cdSize, true);
  dv.setUint32(c + 16, cdStart, true);
  return out;
}
