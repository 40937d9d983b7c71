// torch.nn.utils.rnn: PackedSequence, pad_sequence, pack_padded_sequence, pad_packed_sequence,
// pack_sequence, unpad_sequence-free subset of PyTorch 1.13. Composite (cat/narrow/index_select),
// so autograd flows through packing and unpacking on either backend. batch_sizes, lengths and the
// index tensors are int64 CPU tensors as in PyTorch.
import { Tensor } from '../../tensor.js';
import { tensor, full } from '../../creation.js';
import { cat, stack, index_select } from '../../ops/indexing.js';

const nums = (t: Tensor | readonly number[]): number[] =>
  Array.isArray(t) ? (t as number[]).slice() : Array.from((t as Tensor).dataSync() as ArrayLike<number | bigint>, (v) => Number(v));
const i64 = (v: number[]): Tensor => tensor(v, { dtype: 'int64' });

/** PyTorch's PackedSequence(data, batch_sizes, sorted_indices, unsorted_indices). */
export class PackedSequence {
  constructor(
    readonly data: Tensor,
    readonly batch_sizes: Tensor,
    readonly sorted_indices: Tensor | null = null,
    readonly unsorted_indices: Tensor | null = null,
  ) {}
  /** batch_sizes as numbers. */
  get _sizes(): number[] { return nums(this.batch_sizes); }
  get is_cuda(): boolean { return false; }
  to(device: string): PackedSequence {
    return new PackedSequence(this.data.to(device), this.batch_sizes, this.sorted_indices, this.unsorted_indices);
  }
  toString(): string { return `PackedSequence(data=${this.data}, batch_sizes=${this.batch_sizes}, sorted_indices=${this.sorted_indices}, unsorted_indices=${this.unsorted_indices})`; }
}

/** nn.utils.rnn.pad_sequence(sequences, { batch_first = false, padding_value = 0 }): [maxL, B, *] or [B, maxL, *]. */
export function pad_sequence(sequences: Tensor[], batch_first: boolean | { batch_first?: boolean; padding_value?: number } = false, padding_value = 0): Tensor {
  if (typeof batch_first === 'object') { padding_value = batch_first.padding_value ?? 0; batch_first = batch_first.batch_first ?? false; }
  if (sequences.length === 0) throw new Error('received an empty list of sequences');
  const maxL = Math.max(...sequences.map((s) => s.shape[0]));
  const padded = sequences.map((s) => {
    const n = maxL - s.shape[0];
    if (n === 0) return s;
    return cat([s, full([n, ...s.shape.slice(1)], padding_value, { dtype: s.dtype, device: s.device })], 0);
  });
  return stack(padded, batch_first ? 0 : 1);
}

function invertPermutation(p: number[]): number[] {
  const inv = new Array<number>(p.length);
  p.forEach((v, i) => { inv[v] = i; });
  return inv;
}

/** nn.utils.rnn.pack_padded_sequence(input, lengths, { batch_first = false, enforce_sorted = true }) */
export function pack_padded_sequence(input: Tensor, lengths: Tensor | number[], batch_first: boolean | { batch_first?: boolean; enforce_sorted?: boolean } = false, enforce_sorted = true): PackedSequence {
  if (typeof batch_first === 'object') { enforce_sorted = batch_first.enforce_sorted ?? true; batch_first = batch_first.batch_first ?? false; }
  let lens = nums(lengths);
  let sortedIdx: number[] | null = null;
  let x = input;
  if (enforce_sorted) {
    for (let i = 1; i < lens.length; i++) {
      if (lens[i] > lens[i - 1]) throw new Error('`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.');
    }
  } else {
    sortedIdx = lens.map((_, i) => i).sort((a, b) => lens[b] - lens[a] || a - b);
    lens = sortedIdx.map((i) => lens[i]);
    x = index_select(x, batch_first ? 0 : 1, i64(sortedIdx).to(String(x.device)));
  }
  if (batch_first) x = x.transpose(0, 1);
  const B = x.shape[1];
  if (lens.length !== B) throw new Error(`Expected \`len(lengths)\` to be equal to batch_size, but got ${lens.length} (batch_size=${B})`);
  if (lens.some((l) => l <= 0)) throw new Error("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
  if (lens[0] > x.shape[0]) throw new Error(`Expected sequence length to be larger than or equal to ${lens[0]}, got ${x.shape[0]}`);
  const sizes: number[] = [];
  for (let t = 0; t < lens[0]; t++) sizes.push(lens.filter((l) => l > t).length);
  const data = cat(sizes.map((bs, t) => x.select(0, t).narrow(0, 0, bs)), 0);
  return new PackedSequence(data, i64(sizes), sortedIdx ? i64(sortedIdx) : null, sortedIdx ? i64(invertPermutation(sortedIdx)) : null);
}

/** nn.utils.rnn.pad_packed_sequence(sequence, { batch_first = false, padding_value = 0, total_length }): [padded, lengths] */
export function pad_packed_sequence(sequence: PackedSequence, batch_first: boolean | { batch_first?: boolean; padding_value?: number; total_length?: number | null } = false, padding_value = 0, total_length: number | null = null): [Tensor, Tensor] {
  if (typeof batch_first === 'object') {
    padding_value = batch_first.padding_value ?? 0; total_length = batch_first.total_length ?? null; batch_first = batch_first.batch_first ?? false;
  }
  const sizes = sequence._sizes;
  const T = sizes.length, B = sizes[0];
  const d = sequence.data;
  const feat = d.shape.slice(1);
  let T2 = T;
  if (total_length !== null) {
    if (total_length < T) throw new Error(`Expected total_length to be at least the length of the longest sequence in input, but got total_length=${total_length} and max sequence length being ${T}`);
    T2 = total_length;
  }
  const steps: Tensor[] = [];
  let off = 0;
  for (const bs of sizes) {
    const piece = d.narrow(0, off, bs);
    off += bs;
    steps.push(bs === B ? piece : cat([piece, full([B - bs, ...feat], padding_value, { dtype: d.dtype, device: d.device })], 0));
  }
  for (let t = T; t < T2; t++) steps.push(full([B, ...feat], padding_value, { dtype: d.dtype, device: d.device }));
  let out = stack(steps, 0);
  const lens = new Array<number>(B).fill(0);
  for (const bs of sizes) for (let i = 0; i < bs; i++) lens[i]++;
  let lengths = lens;
  if (sequence.unsorted_indices) {
    const un = nums(sequence.unsorted_indices);
    out = index_select(out, 1, sequence.unsorted_indices.to(String(out.device)));
    lengths = un.map((i) => lens[i]);
  }
  if (batch_first) out = out.transpose(0, 1);
  return [out, i64(lengths)];
}

/** nn.utils.rnn.pack_sequence(sequences, { enforce_sorted = true }) */
export function pack_sequence(sequences: Tensor[], enforce_sorted: boolean | { enforce_sorted?: boolean } = true): PackedSequence {
  if (typeof enforce_sorted === 'object') enforce_sorted = enforce_sorted.enforce_sorted ?? true;
  return pack_padded_sequence(pad_sequence(sequences), sequences.map((s) => s.shape[0]), false, enforce_sorted);
}

/** nn.utils.rnn.unpad_sequence(padded, lengths, { batch_first = false }) */
export function unpad_sequence(padded: Tensor, lengths: Tensor | number[], batch_first: boolean | { batch_first?: boolean } = false): Tensor[] {
  if (typeof batch_first === 'object') batch_first = batch_first.batch_first ?? false;
  const x = batch_first ? padded : padded.transpose(0, 1);
  return nums(lengths).map((l, i) => x.select(0, i).narrow(0, 0, l));
}
