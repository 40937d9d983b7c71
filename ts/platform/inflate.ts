// Raw DEFLATE (RFC 1951) decoding, synchronous and small, in the manner of zlib's puff.c. Two
// users need it synchronous, where the platform's DecompressionStream is not: the embedded wasm
// kernels (stored deflated in the bundle, ts/platform/wasm_source.ts) and torch.load(bytes) of a
// zip whose entries a zip tool re-compressed (ts/pt/zip.ts).
//
// The output buffer has the size the caller declares; a stream that would write more or less,
// reads past its input, or holds an invalid or over-subscribed code is rejected through `fail`.
// Every loop consumes input or produces output, so the time is linear in input plus output.

const MAXBITS = 15;
const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code: the number of codes of each length and the symbols in code order. */
class Huffman {
  count = new Uint16Array(MAXBITS + 1);
  symbol: Uint16Array;
  constructor(n: number) { this.symbol = new Uint16Array(n); }
}

/** Builds `h` from code lengths; returns 0 (complete), > 0 (incomplete) or < 0 (over-subscribed). */
function construct(h: Huffman, lengths: Uint8Array, off: number, n: number): number {
  h.count.fill(0);
  for (let s = 0; s < n; s++) h.count[lengths[off + s]]++;
  if (h.count[0] === n) return 0;
  let left = 1;
  for (let len = 1; len <= MAXBITS; len++) {
    left <<= 1;
    left -= h.count[len];
    if (left < 0) return left;
  }
  const offs = new Uint16Array(MAXBITS + 1);
  for (let len = 1; len < MAXBITS; len++) offs[len + 1] = offs[len] + h.count[len];
  for (let s = 0; s < n; s++) if (lengths[off + s] !== 0) h.symbol[offs[lengths[off + s]]++] = s;
  return left;
}

let fixedLen: Huffman | null = null, fixedDist: Huffman | null = null;
function fixedCodes(): [Huffman, Huffman] {
  if (!fixedLen || !fixedDist) {
    const l = new Uint8Array(288 + 30);
    for (let s = 0; s < 288; s++) l[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    for (let s = 0; s < 30; s++) l[288 + s] = 5;
    fixedLen = new Huffman(288);
    construct(fixedLen, l, 0, 288);
    fixedDist = new Huffman(30);
    construct(fixedDist, l, 288, 30);
  }
  return [fixedLen, fixedDist];
}

/**
 * Inflates raw deflate data `input` into exactly `size` bytes; corrupt data, or a size that does
 * not match, is reported through `fail` (which throws the caller's error).
 */
export function inflateRaw(input: Uint8Array, size: number, fail: (msg: string) => never): Uint8Array {
  const out = new Uint8Array(size);
  let inPos = 0, outPos = 0, bitbuf = 0, bitcnt = 0;
  const bad = (what: string): never => fail(`corrupt deflate data (${what})`);
  const bits = (need: number): number => {
    let val = bitbuf;
    while (bitcnt < need) {
      if (inPos >= input.length) bad('the compressed data ends early');
      val |= input[inPos++] << bitcnt;
      bitcnt += 8;
    }
    bitbuf = val >>> need;
    bitcnt -= need;
    return val & ((1 << need) - 1);
  };
  const decode = (h: Huffman): number => {
    let code = 0, first = 0, index = 0;
    for (let len = 1; len <= MAXBITS; len++) {
      code |= bits(1);
      const count = h.count[len];
      if (code - count < first) return h.symbol[index + (code - first)];
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    return bad('an invalid Huffman code');
  };
  const codes = (lencode: Huffman, distcode: Huffman): void => {
    for (;;) {
      let symbol = decode(lencode);
      if (symbol < 256) {
        if (outPos >= size) bad(`more than the declared ${size} bytes`);
        out[outPos++] = symbol;
      } else if (symbol === 256) {
        return;
      } else {
        symbol -= 257;
        if (symbol >= 29) bad('an invalid length symbol');
        const len = LBASE[symbol] + bits(LEXT[symbol]);
        const ds = decode(distcode);
        if (ds >= 30) bad('an invalid distance symbol');
        const dist = DBASE[ds] + bits(DEXT[ds]);
        if (dist > outPos) bad('a distance before the start of the output');
        if (outPos + len > size) bad(`more than the declared ${size} bytes`);
        for (let k = 0; k < len; k++, outPos++) out[outPos] = out[outPos - dist];
      }
    }
  };
  const lengths = new Uint8Array(320);
  const lencode = new Huffman(288), distcode = new Huffman(30);
  let last = 0;
  do {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      bitbuf = 0;
      bitcnt = 0;
      if (inPos + 4 > input.length) bad('a stored block header ends early');
      const len = input[inPos] | input[inPos + 1] << 8, nlen = input[inPos + 2] | input[inPos + 3] << 8;
      inPos += 4;
      if (len !== (~nlen & 0xffff)) bad('a stored block length does not match its complement');
      if (inPos + len > input.length) bad('a stored block ends early');
      if (outPos + len > size) bad(`more than the declared ${size} bytes`);
      out.set(input.subarray(inPos, inPos + len), outPos);
      inPos += len;
      outPos += len;
    } else if (type === 1) {
      const [l, d] = fixedCodes();
      codes(l, d);
    } else if (type === 2) {
      const nlen = bits(5) + 257, ndist = bits(5) + 1, ncode = bits(4) + 4;
      if (nlen > 286 || ndist > 30) bad('too many length or distance codes');
      lengths.fill(0);
      for (let i = 0; i < ncode; i++) lengths[ORDER[i]] = bits(3);
      if (construct(lencode, lengths, 0, 19) !== 0) bad('an incomplete code-length code');
      let index = 0;
      while (index < nlen + ndist) {
        let symbol = decode(lencode);
        if (symbol < 16) {
          lengths[index++] = symbol;
        } else {
          let len = 0;
          if (symbol === 16) {
            if (index === 0) bad('a repeat with no previous length');
            len = lengths[index - 1];
            symbol = 3 + bits(2);
          } else if (symbol === 17) symbol = 3 + bits(3);
          else symbol = 11 + bits(7);
          if (index + symbol > nlen + ndist) bad('too many code lengths');
          while (symbol--) lengths[index++] = len;
        }
      }
      if (lengths[256] === 0) bad('no end-of-block code');
      let err = construct(lencode, lengths, 0, nlen);
      if (err < 0 || (err > 0 && nlen - lencode.count[0] !== 1)) bad('an incomplete literal/length code');
      err = construct(distcode, lengths, nlen, ndist);
      if (err < 0 || (err > 0 && ndist - distcode.count[0] !== 1)) bad('an incomplete distance code');
      codes(lencode, distcode);
    } else {
      bad('an invalid block type');
    }
  } while (!last);
  if (outPos !== size) fail(`the deflate data holds ${outPos} bytes but ${size} were declared`);
  return out;
}
