// An IDX file's bytes (the MNIST format): magic with the element type and rank, big-endian dims, data.
export function idx(dims: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const b = new Uint8Array(4 + 4 * dims.length + data.length);
  const dv = new DataView(b.buffer);
  b[2] = type; b[3] = dims.length;
  dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
  b.set(data, 4 + 4 * dims.length);
  return b;
}
