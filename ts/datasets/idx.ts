// The IDX file format of MNIST-style datasets: a big-endian magic number 0x0000TTNN (TT the
// element type, NN the number of dimensions), NN big-endian uint32 sizes, then the data.
export interface IdxArray { dims: number[]; data: Uint8Array }

const TYPES: Record<number, string> = { 0x08: 'ubyte', 0x09: 'byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

/** Parses IDX bytes holding unsigned bytes; checks the magic number, dimensions and the size. */
export function parseIdx(bytes: Uint8Array, name = 'IDX file', expectDims?: number): IdxArray {
  if (bytes.length < 4) throw new Error(`${name}: truncated (${bytes.length} bytes; an IDX file starts with a 4-byte magic number)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint32(0, false);
  const type = bytes[2], nd = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !(type in TYPES)) {
    throw new Error(`${name}: bad magic number 0x${magic.toString(16).padStart(8, '0')} (not an IDX file, or corrupt)`);
  }
  if (type !== 0x08) throw new Error(`${name}: holds ${TYPES[type]} elements; only unsigned bytes are supported`);
  if (expectDims !== undefined && nd !== expectDims) {
    throw new Error(`${name}: bad magic number 0x${magic.toString(16).padStart(8, '0')}: expected 0x${(0x800 + expectDims).toString(16).padStart(8, '0')} (${expectDims}-dimensional unsigned bytes)`);
  }
  if (bytes.length < 4 + 4 * nd) throw new Error(`${name}: truncated in the header (${bytes.length} bytes, the ${nd} sizes need ${4 + 4 * nd})`);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < nd; i++) { const d = dv.getUint32(4 + 4 * i, false); dims.push(d); count *= d; }
  const start = 4 + 4 * nd;
  if (bytes.length - start !== count) {
    throw new Error(`${name}: ${bytes.length - start < count ? 'truncated' : 'has trailing bytes'}: sizes [${dims}] need ${count} data bytes, the file holds ${bytes.length - start}`);
  }
  return { dims, data: bytes.subarray(start) };
}
