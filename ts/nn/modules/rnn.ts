// RNN, LSTM (with proj_size), GRU and their cells. The input projection of a whole sequence is one
// addmm per layer and direction, then per step one hidden GEMM (addmm) and the gate math: for LSTM
// and GRU one fused kernel and one autograd node (ts/nn/functional/rnn.ts), for RNN tanh/relu. An
// LSTM layer without projection whose steps all have the whole batch is one node (lstm_layer),
// whose backward makes weight_hh's gradient with one GEMM over all steps.
// Parameter names, shapes, registration order and init follow PyTorch 1.13 so state_dicts move
// both ways. Gate order as PyTorch: LSTM i, f, g, o; GRU r, z, n.
import { Tensor } from '../../tensor.js';
import { empty, zeros } from '../../creation.js';
import { addmm, matmul } from '../../ops/linalg.js';
import { stack, cat, split } from '../../ops/indexing.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import * as init from '../init.js';
import * as F from '../functional/index.js';
import { pyBool } from '../repr.js';
import { dtypeOf } from './linear.js';
import { PackedSequence } from '../utils/rnn.js';
import type { FactoryOpts } from './linear.js';
import { parseArgs } from '../functional/args.js';
import { lstm_cell, gru_cell, lstm_layer } from '../functional/rnn.js';
import { checkTensor } from '../../ops/pointwise.js';

/** PyTorch's check of the input against the weights (its addmm's): "mat1 and mat2 must have the same dtype" */
function sameDtype(op: string, input: Tensor, weight: Tensor): void {
  if (input.dtype !== weight.dtype) throw new TypeError(`${op}: mat1 and mat2 must have the same dtype, but got ${input.dtype} and ${weight.dtype}`);
}

type Mode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';
export interface RNNOpts extends FactoryOpts {
  num_layers?: number; nonlinearity?: 'tanh' | 'relu' | string; bias?: boolean; batch_first?: boolean;
  dropout?: number; bidirectional?: boolean; proj_size?: number;
}

type Sizes = { input_size: number; hidden_size: number };
const FACTORY = ['device', 'dtype'] as const;
// proj_size is accepted by RNN and GRU too, for PyTorch's own error (LSTM only)
const RNN_ARGS = ['input_size', 'hidden_size', 'num_layers', 'nonlinearity', 'bias', 'batch_first', 'dropout', 'bidirectional', 'proj_size', ...FACTORY];
const LSTM_ARGS = ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional', 'proj_size', ...FACTORY];
const CELL_ARGS = ['input_size', 'hidden_size', 'bias', 'nonlinearity', ...FACTORY];
const GATED_CELL_ARGS = ['input_size', 'hidden_size', 'bias', ...FACTORY];
/** PyTorch's constructor arguments, positional or by name (`new nn.LSTM(10, 20, 2)`, `new nn.LSTM({ input_size: 10, hidden_size: 20, num_layers: 2 })`). */
function bind<O>(op: string, args: unknown[], names: string[]): Sizes & O {
  return parseArgs<Sizes & O>(op, args, names as (keyof (Sizes & O) & string)[], {});
}

const shapeStr = (s: readonly number[]): string => `[${s.join(', ')}]`;
const tupleStr = (s: readonly number[]): string => `(${s.join(', ')})`;

/** x [N, in] @ w.T + b, as one addmm (or mm without bias). */
function lin(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  return linT(x, w.t(), b);
}
/** x @ wT + b with w already transposed (a layer transposes its hidden weights once, not per step). */
function linT(x: Tensor, wT: Tensor, b: Tensor | null): Tensor {
  return b ? addmm(b, x, wT) : matmul(x, wT);
}

/** The shared base: PyTorch's nn.RNNBase. */
export class RNNBase extends Module {
  mode: Mode;
  input_size: number;
  hidden_size: number;
  num_layers: number;
  bias: boolean;
  batch_first: boolean;
  dropout: number;
  bidirectional: boolean;
  proj_size: number;
  _flat_weights_names: string[] = [];
  _all_weights: string[][] = [];

  constructor(mode: Mode, input_size: number, hidden_size: number, opts: RNNOpts = {}) {
    super();
    this.mode = mode;
    this.input_size = input_size;
    this.hidden_size = hidden_size;
    this.num_layers = opts.num_layers ?? 1;
    this.bias = opts.bias ?? true;
    this.batch_first = opts.batch_first ?? false;
    this.dropout = opts.dropout ?? 0;
    this.bidirectional = opts.bidirectional ?? false;
    this.proj_size = opts.proj_size ?? 0;
    const numDirs = this.bidirectional ? 2 : 1;
    if (typeof this.dropout !== 'number' || !(this.dropout >= 0 && this.dropout <= 1))
      throw new RangeError('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    if (this.dropout > 0 && this.num_layers === 1)
      console.warn(`dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=${this.dropout} and num_layers=${this.num_layers}`);
    if (!Number.isInteger(this.proj_size) || this.proj_size < 0)
      throw new RangeError('proj_size should be a positive integer or zero to disable projections');
    if (this.proj_size >= hidden_size) throw new RangeError('proj_size has to be smaller than hidden_size');
    if (this.proj_size > 0 && mode !== 'LSTM') throw new RangeError('proj_size argument is only supported for LSTM, not RNN or GRU');
    if (!Number.isInteger(hidden_size) || hidden_size <= 0) throw new RangeError('hidden_size must be greater than zero');
    if (!Number.isInteger(this.num_layers) || this.num_layers <= 0) throw new RangeError('num_layers must be greater than zero');
    const gate = mode === 'LSTM' ? 4 * hidden_size : mode === 'GRU' ? 3 * hidden_size : hidden_size;
    const realH = this.proj_size > 0 ? this.proj_size : hidden_size;
    const dtype = dtypeOf(opts);
    for (let layer = 0; layer < this.num_layers; layer++) {
      for (let d = 0; d < numDirs; d++) {
        const inSize = layer === 0 ? input_size : realH * numDirs;
        const sfx = d === 1 ? '_reverse' : '';
        const names: [string, number[]][] = [[`weight_ih_l${layer}${sfx}`, [gate, inSize]], [`weight_hh_l${layer}${sfx}`, [gate, realH]]];
        if (this.bias) names.push([`bias_ih_l${layer}${sfx}`, [gate]], [`bias_hh_l${layer}${sfx}`, [gate]]);
        if (this.proj_size > 0) names.push([`weight_hr_l${layer}${sfx}`, [this.proj_size, hidden_size]]);
        for (const [n, s] of names) this.register_parameter(n, new Parameter(empty(s, { dtype })));
        this._flat_weights_names.push(...names.map(([n]) => n));
        this._all_weights.push(names.map(([n]) => n));
      }
    }
    this.reset_parameters();
  }

  get all_weights(): Parameter[][] { return this._all_weights.map((ns) => ns.map((n) => this._parameters.get(n) as Parameter)); }

  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1 / Math.sqrt(this.hidden_size) : 0;
    for (const w of this.parameters()) init.uniform_(w, -stdv, stdv);
  }

  flatten_parameters(): void { /* no cuDNN: nothing to flatten */ }

  override extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.proj_size !== 0) s += `, proj_size=${this.proj_size}`;
    if (this.num_layers !== 1) s += `, num_layers=${this.num_layers}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    if (this.batch_first !== false) s += `, batch_first=${pyBool(this.batch_first)}`;
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    if (this.bidirectional !== false) s += `, bidirectional=${pyBool(this.bidirectional)}`;
    return s;
  }

  private p(name: string): Parameter | null { return this._parameters.get(name) ?? null; }

  /** Checks and normalizes input/hx like PyTorch's forward; returns [T, B, I] input and states [L*D, B, H]. */
  protected _prepare(input: Tensor, hx: Tensor[] | null): { x: Tensor; h: Tensor[]; batched: boolean } {
    const lstm = this.mode === 'LSTM';
    const name = this.mode.startsWith('RNN') ? 'RNN' : this.mode;
    checkTensor(name, input);
    sameDtype(name, input, this.p('weight_ih_l0')!);
    const batched = input.dim() === 3;
    const batchDim = this.batch_first ? 0 : 1;
    let x = input;
    if (!batched) {
      x = x.unsqueeze(batchDim);
      if (hx) {
        if (lstm && (hx[0].dim() !== 2 || hx[1].dim() !== 2))
          throw new Error(`For unbatched 2-D input, hx and cx should also be 2-D but got (${hx[0].dim()}-D, ${hx[1].dim()}-D) tensors`);
        if (!lstm && hx[0].dim() !== 2) throw new Error(`For unbatched 2-D input, hx should also be 2-D but got ${hx[0].dim()}-D tensor`);
        hx = hx.map((t) => t.unsqueeze(1));
      }
    } else if (hx) {
      if (lstm && (hx[0].dim() !== 3 || hx[1].dim() !== 3))
        throw new Error(`For batched 3-D input, hx and cx should also be 3-D but got (${hx[0].dim()}-D, ${hx[1].dim()}-D) tensors`);
      if (!lstm && hx[0].dim() !== 3) throw new Error(`For batched 3-D input, hx should also be 3-D but got ${hx[0].dim()}-D tensor`);
    }
    if (x.dim() !== 3) throw new Error(`input must have 3 dimensions, got ${x.dim()}`);
    const last = x.shape[2];
    if (last !== this.input_size) throw new Error(`input.size(-1) must be equal to input_size. Expected ${this.input_size}, got ${last}`);
    if (this.batch_first) x = x.transpose(0, 1);
    if (x.shape[0] === 0) throw new RangeError(`${name}: Expected sequence length to be larger than 0 in RNN`);
    const B = x.shape[1];
    const D = this.bidirectional ? 2 : 1;
    const realH = this.proj_size > 0 ? this.proj_size : this.hidden_size;
    const expH = [this.num_layers * D, B, realH];
    const expC = [this.num_layers * D, B, this.hidden_size];
    if (!hx) {
      const z = zeros(expH, { dtype: input.dtype, device: input.device });
      hx = lstm ? [z, zeros(expC, { dtype: input.dtype, device: input.device })] : [z];
    } else {
      const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
      if (lstm) {
        if (!same(hx[0].shape, expH)) throw new Error(`Expected hidden[0] size ${tupleStr(expH)}, got ${shapeStr(hx[0].shape)}`);
        if (!same(hx[1].shape, expC)) throw new Error(`Expected hidden[1] size ${tupleStr(expC)}, got ${shapeStr(hx[1].shape)}`);
      } else if (!same(hx[0].shape, expH)) throw new Error(`Expected hidden size ${tupleStr(expH)}, got ${shapeStr(hx[0].shape)}`);
    }
    return { x, h: hx, batched };
  }

  /** Runs all layers and directions over time-major rows data [N, I], step t holding sizes[t]
   * rows (decreasing: a packed sequence; all equal: a padded one); hx [L*D, sizes[0], H].
   * Returns the output rows [N, D*H'] and the final states. */
  protected _run(data: Tensor, sizes: number[], hx: Tensor[]): { out: Tensor; hn: Tensor[] } {
    const lstm = this.mode === 'LSTM';
    const D = this.bidirectional ? 2 : 1;
    const T = sizes.length;
    const hN: Tensor[] = [], cN: Tensor[] = [];
    let layerIn = data;
    for (let layer = 0; layer < this.num_layers; layer++) {
      const dirOuts: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const idx = layer * D + d;
        const sfx = d === 1 ? '_reverse' : '';
        const wih = this.p(`weight_ih_l${layer}${sfx}`)!, whh = this.p(`weight_hh_l${layer}${sfx}`)!;
        const bih = this.p(`bias_ih_l${layer}${sfx}`), bhh = this.p(`bias_hh_l${layer}${sfx}`);
        const whr = this.p(`weight_hr_l${layer}${sfx}`);
        const whhT = whh.t(), whrT = whr ? whr.t() : null;
        const h0 = hx[0].select(0, idx), c0 = lstm ? hx[1].select(0, idx) : null;
        if (lstm && !whr && T > 0 && sizes.every((n) => n === sizes[0])) {
          // every step has the whole batch: the recurrence is one node (lstm_layer)
          const [o, hT, cT] = lstm_layer(lin(layerIn, wih, bih), whhT, bhh, h0, c0!, d === 1);
          dirOuts.push(o); hN.push(hT); cN.push(cT);
          continue;
        }
        // the input projection for the whole sequence: one GEMM, then split per step
        const gi = T > 0 ? split(lin(layerIn, wih, bih), sizes, 0) : [];
        let h = h0, c = c0;
        const outs: Tensor[] = new Array(T);
        const doneH: Tensor[] = [], doneC: Tensor[] = []; // rows whose sequence ended (forward direction)
        if (d === 1 && T > 0) { h = h0.narrow(0, 0, sizes[T - 1]); c = c0 ? c0.narrow(0, 0, sizes[T - 1]) : null; }
        for (let s = 0; s < T; s++) {
          const t = d === 1 ? T - 1 - s : s;
          const bs = sizes[t], cur = h.shape[0];
          if (bs < cur) { // forward: sequences bs..cur ended at the previous step
            doneH.unshift(h.narrow(0, bs, cur - bs)); h = h.narrow(0, 0, bs);
            if (c) { doneC.unshift(c.narrow(0, bs, cur - bs)); c = c.narrow(0, 0, bs); }
          } else if (bs > cur) { // reverse: sequences cur..bs start here from their initial state
            h = cat([h, h0.narrow(0, cur, bs - cur)], 0);
            if (c) c = cat([c, c0!.narrow(0, cur, bs - cur)], 0);
          }
          const gh = linT(h, whhT, bhh);
          if (this.mode === 'LSTM') {
            const [h2, c2] = lstm_cell(gi[t], gh, c!);
            c = c2;
            h = whrT ? matmul(h2, whrT) : h2;
          } else if (this.mode === 'GRU') h = gru_cell(gi[t], gh, h);
          else {
            const pre = gi[t].add(gh);
            h = this.mode === 'RNN_TANH' ? pre.tanh() : F.relu(pre);
          }
          outs[t] = h;
        }
        dirOuts.push(T > 0 ? cat(outs, 0) : zeros([0, h.shape[1]], { dtype: data.dtype, device: data.device }));
        hN.push(doneH.length ? cat([h, ...doneH], 0) : h);
        if (c) cN.push(doneC.length ? cat([c, ...doneC], 0) : c);
      }
      layerIn = D === 2 ? cat(dirOuts, 1) : dirOuts[0];
      if (this.dropout > 0 && this.training && layer < this.num_layers - 1) layerIn = F.dropout(layerIn, this.dropout, true);
    }
    const hn = [stack(hN, 0)];
    if (lstm) hn.push(stack(cN, 0));
    return { out: layerIn, hn };
  }

  protected _forward(input: Tensor | PackedSequence, hx: Tensor[] | null): { out: Tensor | PackedSequence; hn: Tensor[] } {
    if (input instanceof PackedSequence) return this._forwardPacked(input, hx);
    const { x, h, batched } = this._prepare(input, hx);
    const [T, B] = [x.shape[0], x.shape[1]];
    const r = this._run(x.reshape([T * B, x.shape[2]]), new Array<number>(T).fill(B), h);
    let out = r.out.view([T, B, r.out.shape[1]]);
    let hn = r.hn;
    if (this.batch_first) out = out.transpose(0, 1);
    if (!batched) {
      out = out.squeeze(this.batch_first ? 0 : 1);
      hn = hn.map((t) => t.squeeze(1));
    }
    return { out, hn };
  }

  /** A PackedSequence: hx is in the caller's batch order (PyTorch's permute_hidden). */
  protected _forwardPacked(input: PackedSequence, hx: Tensor[] | null): { out: PackedSequence; hn: Tensor[] } {
    const sizes = input._sizes;
    const data = input.data;
    if (data.dim() !== 2) throw new Error(`input must have 2 dimensions, got ${data.dim()}`);
    if (data.shape[1] !== this.input_size) throw new Error(`input.size(-1) must be equal to input_size. Expected ${this.input_size}, got ${data.shape[1]}`);
    const B = sizes[0];
    const D = this.bidirectional ? 2 : 1;
    const realH = this.proj_size > 0 ? this.proj_size : this.hidden_size;
    const expH = [this.num_layers * D, B, realH], expC = [this.num_layers * D, B, this.hidden_size];
    const dev = String(data.device);
    let h: Tensor[];
    if (!hx) {
      h = [zeros(expH, { dtype: data.dtype, device: data.device })];
      if (this.mode === 'LSTM') h.push(zeros(expC, { dtype: data.dtype, device: data.device }));
    } else {
      const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
      if (this.mode === 'LSTM') {
        if (!same(hx[0].shape, expH)) throw new Error(`Expected hidden[0] size ${tupleStr(expH)}, got ${shapeStr(hx[0].shape)}`);
        if (!same(hx[1].shape, expC)) throw new Error(`Expected hidden[1] size ${tupleStr(expC)}, got ${shapeStr(hx[1].shape)}`);
      } else if (!same(hx[0].shape, expH)) throw new Error(`Expected hidden size ${tupleStr(expH)}, got ${shapeStr(hx[0].shape)}`);
      h = input.sorted_indices ? hx.map((t) => t.index_select(1, input.sorted_indices!.to(dev))) : hx;
    }
    const r = this._run(data, sizes, h);
    const hn = input.unsorted_indices ? r.hn.map((t) => t.index_select(1, input.unsorted_indices!.to(dev))) : r.hn;
    return { out: new PackedSequence(r.out, input.batch_sizes, input.sorted_indices, input.unsorted_indices), hn };
  }
}
/** nn.RNN(input_size, hidden_size, { num_layers, nonlinearity = 'tanh', bias, batch_first, dropout, bidirectional }) */
export class RNN extends RNNBase {
  nonlinearity: string;
  constructor(input_size: number, hidden_size: number, ...rest: (number | string | boolean | RNNOpts)[]);
  constructor(opts: Sizes & RNNOpts);
  constructor(...args: unknown[]) {
    const opts = bind<RNNOpts>('RNN', args, RNN_ARGS);
    const nl = opts.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu') throw new RangeError(`Unknown nonlinearity '${nl}'`);
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', opts.input_size, opts.hidden_size, opts);
    this.nonlinearity = nl;
  }
  /** Returns [output, h_n]. */
  override forward<I extends Tensor | PackedSequence>(input: I, hx: Tensor | null = null): [I, Tensor] {
    const { out, hn } = this._forward(input, hx ? [hx] : null);
    return [out as I, hn[0]];
  }
}

/** nn.LSTM(input_size, hidden_size, { num_layers, bias, batch_first, dropout, bidirectional, proj_size }) */
export class LSTM extends RNNBase {
  constructor(input_size: number, hidden_size: number, ...rest: (number | boolean | RNNOpts)[]);
  constructor(opts: Sizes & RNNOpts);
  constructor(...args: unknown[]) { const o = bind<RNNOpts>('LSTM', args, LSTM_ARGS); super('LSTM', o.input_size, o.hidden_size, o); }
  /** Returns [output, [h_n, c_n]]. */
  override forward<I extends Tensor | PackedSequence>(input: I, hx: [Tensor, Tensor] | null = null): [I, [Tensor, Tensor]] {
    const { out, hn } = this._forward(input, hx ? [hx[0], hx[1]] : null);
    return [out as I, [hn[0], hn[1]]];
  }
}

/** nn.GRU(input_size, hidden_size, { num_layers, bias, batch_first, dropout, bidirectional }) */
export class GRU extends RNNBase {
  constructor(input_size: number, hidden_size: number, ...rest: (number | boolean | RNNOpts)[]);
  constructor(opts: Sizes & RNNOpts);
  constructor(...args: unknown[]) { const o = bind<RNNOpts>('GRU', args, LSTM_ARGS); super('GRU', o.input_size, o.hidden_size, o); }
  /** Returns [output, h_n]. */
  override forward<I extends Tensor | PackedSequence>(input: I, hx: Tensor | null = null): [I, Tensor] {
    const { out, hn } = this._forward(input, hx ? [hx] : null);
    return [out as I, hn[0]];
  }
}

// ---- cells ----

export interface CellOpts extends FactoryOpts { bias?: boolean; nonlinearity?: 'tanh' | 'relu' | string }

export class RNNCellBase extends Module {
  input_size: number;
  hidden_size: number;
  bias: boolean;
  declare weight_ih: Parameter;
  declare weight_hh: Parameter;
  declare bias_ih: Parameter | null;
  declare bias_hh: Parameter | null;
  protected cellName: string;
  constructor(name: string, input_size: number, hidden_size: number, bias: boolean, numChunks: number, opts: FactoryOpts) {
    super();
    this.cellName = name;
    this.input_size = input_size; this.hidden_size = hidden_size; this.bias = bias;
    const dtype = dtypeOf(opts);
    this.weight_ih = new Parameter(empty([numChunks * hidden_size, input_size], { dtype }));
    this.weight_hh = new Parameter(empty([numChunks * hidden_size, hidden_size], { dtype }));
    if (bias) {
      this.bias_ih = new Parameter(empty([numChunks * hidden_size], { dtype }));
      this.bias_hh = new Parameter(empty([numChunks * hidden_size], { dtype }));
    } else { this.register_parameter('bias_ih', null); this.register_parameter('bias_hh', null); }
    this.reset_parameters();
  }
  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1 / Math.sqrt(this.hidden_size) : 0;
    for (const w of this.parameters()) init.uniform_(w, -stdv, stdv);
  }
  override extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (!this.bias) s += ', bias=False';
    const nl = (this as unknown as { nonlinearity?: string }).nonlinearity;
    if (nl !== undefined && nl !== 'tanh') s += `, nonlinearity=${nl}`;
    return s;
  }
  /** PyTorch's checks; returns the input as 2-D and whether it was batched. */
  protected _input(input: Tensor): [Tensor, boolean] {
    checkTensor(this.cellName, input);
    sameDtype(this.cellName, input, this.weight_ih);
    if (input.dim() !== 1 && input.dim() !== 2) throw new Error(`${this.cellName}: Expected input to be 1-D or 2-D but received ${input.dim()}-D tensor`);
    const batched = input.dim() === 2;
    const x = batched ? input : input.unsqueeze(0);
    if (x.shape[1] !== this.input_size) throw new Error(`input has inconsistent input_size: got ${x.shape[1]} expected ${this.input_size}`);
    return [x, batched];
  }
  protected _hidden(x: Tensor, h: Tensor | null, batched: boolean, which: string): Tensor {
    if (!h) return zeros([x.shape[0], this.hidden_size], { dtype: x.dtype, device: x.device });
    const h2 = batched ? h : h.unsqueeze(0);
    // PyTorch's order: batch size, then hidden size (an unbatched call with 2-D hx fails on the latter)
    if (x.shape[0] !== h2.shape[0]) throw new Error(`Input batch size ${x.shape[0]} doesn't match hidden0 batch size ${h2.shape[0]}`);
    if (h2.shape[1] !== this.hidden_size) throw new Error(`hidden0 has inconsistent hidden_size: got ${h2.shape[1]}, expected ${this.hidden_size}`);
    if (h2.dim() !== 2) throw new Error(`${this.cellName}: Expected ${which} to be ${batched ? 2 : 1}-D but received ${h.dim()}-D tensor`);
    return h2;
  }
}

/** nn.RNNCell(input_size, hidden_size, { bias = true, nonlinearity = 'tanh' }) */
export class RNNCell extends RNNCellBase {
  nonlinearity: string;
  constructor(input_size: number, hidden_size: number, ...rest: (boolean | string | CellOpts)[]);
  constructor(opts: Sizes & CellOpts);
  constructor(...args: unknown[]) {
    const opts = bind<CellOpts>('RNNCell', args, CELL_ARGS);
    super('RNNCell', opts.input_size, opts.hidden_size, opts.bias ?? true, 1, opts);
    this.nonlinearity = opts.nonlinearity ?? 'tanh';
  }
  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, batched] = this._input(input);
    const h = this._hidden(x, hx, batched, 'hx');
    const pre = lin(x, this.weight_ih, this.bias_ih).add(lin(h, this.weight_hh, this.bias_hh));
    let out: Tensor;
    if (this.nonlinearity === 'tanh') out = pre.tanh();
    else if (this.nonlinearity === 'relu') out = F.relu(pre);
    else throw new Error(`Unknown nonlinearity: ${this.nonlinearity}`);
    return batched ? out : out.squeeze(0);
  }
}

/** nn.LSTMCell(input_size, hidden_size, { bias = true }): forward(input, [h, c]?) -> [h', c'] */
export class LSTMCell extends RNNCellBase {
  constructor(input_size: number, hidden_size: number, ...rest: (boolean | CellOpts)[]);
  constructor(opts: Sizes & CellOpts);
  constructor(...args: unknown[]) { const o = bind<CellOpts>('LSTMCell', args, GATED_CELL_ARGS); super('LSTMCell', o.input_size, o.hidden_size, o.bias ?? true, 4, o); }
  override forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const [x, batched] = this._input(input);
    const h = this._hidden(x, hx ? hx[0] : null, batched, 'hx[0]');
    const c = this._hidden(x, hx ? hx[1] : null, batched, 'hx[1]');
    const [h2, c2] = lstm_cell(lin(x, this.weight_ih, this.bias_ih), lin(h, this.weight_hh, this.bias_hh), c);
    return batched ? [h2, c2] : [h2.squeeze(0), c2.squeeze(0)];
  }
}

/** nn.GRUCell(input_size, hidden_size, { bias = true }) */
export class GRUCell extends RNNCellBase {
  constructor(input_size: number, hidden_size: number, ...rest: (boolean | CellOpts)[]);
  constructor(opts: Sizes & CellOpts);
  constructor(...args: unknown[]) { const o = bind<CellOpts>('GRUCell', args, GATED_CELL_ARGS); super('GRUCell', o.input_size, o.hidden_size, o.bias ?? true, 3, o); }
  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, batched] = this._input(input);
    const h = this._hidden(x, hx, batched, 'hx');
    const out = gru_cell(lin(x, this.weight_ih, this.bias_ih), lin(h, this.weight_hh, this.bias_hh), h);
    return batched ? out : out.squeeze(0);
  }
}
