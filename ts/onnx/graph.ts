// The ONNX graph that a traced forward builds: value names for the tensors the trace has seen,
// nodes, and initializers (parameters, buffers and constants: any tensor that no traced op made).
// It is the active Tracer during an export; the mappings in ops_map.ts and modules_map.ts add its nodes.
import { Tensor } from '../tensor.js';
import type { Tracer } from './hook.js';

export type AttrValue = number | number[] | string | { float: number } | { floats: number[] };
export interface GraphNode { op_type: string; inputs: string[]; outputs: string[]; attrs: Record<string, AttrValue>; name: string }
/** A tensor's values, or int64 values (shapes, axes: webtorch has no int64 dtype) as a 1-d initializer. */
export interface Initializer { name: string; tensor?: Tensor; int64?: number[] }

/** Maps one traced op (by its autograd name) or one module call onto nodes. */
export type OpMapping = (g: GraphBuilder, args: unknown[], out: unknown, attrs: Record<string, unknown>) => void;
export type ModuleMapping = (g: GraphBuilder, mod: any, args: unknown[], out: unknown) => void;

export class GraphBuilder implements Tracer {
  readonly nodes: GraphNode[] = [];
  readonly initializers: Initializer[] = [];
  private readonly names = new Map<Tensor, string>();
  private depth = 0;
  private count = 0;

  constructor(
    private readonly paramNames: Map<Tensor, string>,
    private readonly opMapping: (name: string) => OpMapping | undefined,
    private readonly moduleMapping: (mod: object) => ModuleMapping | undefined,
  ) {}

  op(name: string, args: unknown[], run: () => unknown, attrs: Record<string, unknown> = {}): unknown {
    if (this.depth > 0) return run();
    const map = this.opMapping(name);
    if (!map) throw new Error(`torch.onnx.export: the op ${name.replace(/Backward\d*$/, '')} (autograd node ${name}) has no ONNX mapping`);
    const out = this.inside(run);
    this.inside(() => map(this, args, out, attrs));
    return out;
  }

  module(mod: object, args: unknown[], run: () => unknown): unknown {
    if (this.depth > 0) return run();
    const map = this.moduleMapping(mod);
    if (!map) return run();
    const out = this.inside(run);
    this.inside(() => map(this, mod, args, out));
    return out;
  }

  /** An in-place write outside mapped modules: `self`'s name moves to `src`'s value. */
  inplace(self: Tensor, src: Tensor): void {
    if (this.depth > 0) return;
    if (self._base || self.shape.length !== src.shape.length || self.shape.some((s, i) => s !== src.shape[i])) {
      throw new Error(`torch.onnx.export: an in-place write into a view or with broadcasting (shape ${src.shape.join('x')} into ${self.shape.join('x')}) has no ONNX mapping`);
    }
    if (self.dtype !== src.dtype) throw new Error(`torch.onnx.export: an in-place write from ${src.dtype} into ${self.dtype} has no ONNX mapping`);
    this.alias(self, src);
  }

  /** Runs `f` with recording off (ops inside a mapped op or module are not graph nodes). */
  inside<T>(f: () => T): T {
    this.depth++;
    try { return f(); } finally { this.depth--; }
  }

  fresh(prefix: string): string { return `${prefix}_${this.count++}`; }

  /** Names `t` as a graph input. */
  input(t: Tensor, name: string): void { this.names.set(t, name); }

  /** The value name of `t`: what a traced op made, else an initializer (a parameter's own name). */
  nameOf(t: Tensor): string {
    let n = this.names.get(t);
    if (n === undefined) {
      n = this.paramNames.get(t) ?? this.fresh('constant');
      this.names.set(t, n);
      this.initializers.push({ name: n, tensor: t });
    }
    return n;
  }

  /** A new initializer holding `t` (a constant made while mapping, e.g. reordered LSTM weights). */
  constant(t: Tensor, prefix = 'constant'): string {
    const n = this.fresh(prefix);
    this.initializers.push({ name: n, tensor: t });
    return n;
  }

  /** A 1-d int64 initializer (Reshape shapes, Slice bounds). */
  int64(values: number[], prefix = 'ints'): string {
    const n = this.fresh(prefix);
    this.initializers.push({ name: n, int64: values });
    return n;
  }

  /**
   * Adds a node. `outputs` are the tensors it makes (named here) or, for intermediate values,
   * a count of fresh names; returns the output names.
   */
  node(op_type: string, inputs: (string | Tensor | null)[], outputs: (Tensor | number)[] | Tensor | number, attrs: Record<string, AttrValue> = {}): string[] {
    // inputs first: an in-place op's output is its input object, which then names the new value
    const ins = inputs.map((i) => (i === null ? '' : typeof i === 'string' ? i : this.nameOf(i)));
    const outs = (Array.isArray(outputs) ? outputs : [outputs]).flatMap((o) => {
      if (typeof o === 'number') return Array.from({ length: o }, () => this.fresh(op_type.toLowerCase()));
      const n = this.fresh(op_type.toLowerCase());
      this.names.set(o, n);
      return [n];
    });
    while (ins.length && ins[ins.length - 1] === '') ins.pop();
    this.nodes.push({ op_type, inputs: ins, outputs: outs, attrs, name: this.fresh(`/${op_type}`) });
    return outs;
  }

  /** `out` is the same value as `src` (identity ops, eval-mode dropout, views that keep the shape). */
  alias(out: Tensor, src: Tensor): void { this.names.set(out, this.nameOf(src)); }

  /** Whether `t` is a value the trace made or a graph input (not an initializer-to-be). */
  has(t: Tensor): boolean { return this.names.has(t); }
}
