// Errors for every bad input (issue 15), generated from the op declarations in
// test/helpers/bad_input_decls.ts. Every public op (torch.* functions, Tensor methods,
// nn.functional, nn layers, optimizers, distributions) is enumerated from the exports: each must be declared
// there or skipped below with a reason, so a new op cannot go untested. Each declared op's valid
// call is turned into bad calls (wrong dtypes, ranks and shapes, out-of-range and negative dims
// and indices, empty tensors, NaN/Inf, disposed tensors, mixed devices where a GPU exists), and:
// - where PyTorch raises (test/fixtures/bad_input.json), webtorch throws an Error naming the op;
// - where PyTorch accepts, webtorch gives PyTorch's result (shape, and values where the op is
//   deterministic; NaN only where PyTorch has NaN);
// - never a WebAssembly.RuntimeError (a trap), and after every call a canary computation still
//   gives the right answer (no corrupted state).
import { describe, it, expect, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import * as torch from '../ts/index.js';
import { Tensor } from '../ts/index.js';
import * as torchvision from '../ts/vision/index.js';
import { cases, ctorOf, declarations, valuesOf, ALIASES, INPLACE, METHOD_TWINS, type Arg, type Case, type TSpec } from './helpers/bad_input_decls.js';
import { hasGpu } from './helpers/gpu.js';

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/bad_input.json', import.meta.url), 'utf8')) as {
  cases: Record<string, { raises: true; error: string } | { raises: false; result: Enc }>;
};
type Enc = { shape: number[]; dtype: string; v?: (number | string)[] } | { num: number | string } | { str: string } | Enc[];

// ------------------------------------------------------------------------ what is not an op
/** Exports that are not ops on tensor inputs, by reason. */
const SKIP: Record<string, string> = {
  // torch.*
  'torch:Tensor': 'the class', 'torch:SparseCooTensor': 'the sparse tensor class (made by sparse_coo_tensor and to_sparse, declared)', 'torch:Generator': 'the class', 'torch:device': 'a device constructor',
  'torch:get_default_dtype': 'configuration', 'torch:set_default_dtype': 'configuration', 'torch:promote_types': 'dtype arithmetic, no tensors',
  'torch:set_num_threads': 'configuration, no tensors (its errors: test/threads.test.ts)', 'torch:get_num_threads': 'configuration',
  'torch:manual_seed': 'random state', 'torch:seed': 'random state', 'torch:initial_seed': 'random state',
  'torch:no_grad': 'grad mode', 'torch:enable_grad': 'grad mode', 'torch:set_grad_enabled': 'grad mode', 'torch:is_grad_enabled': 'grad mode', 'torch:inference_mode': 'grad mode',
  'torch:scope': 'memory management', 'torch:tidy': 'memory management', 'torch:keep': 'memory management', 'torch:dispose': 'memory management', 'torch:memory': 'memory management',
  'torch:save': 'serialization (test/parsers_fuzz.test.ts)', 'torch:load': 'serialization (test/parsers_fuzz.test.ts, test/pt_fuzz.test.ts)',
  'torch:is_tensor': 'a type test', 'torch:broadcast_shapes': 'shape arithmetic, no tensors',
  'torch:tensor': 'creation from JS data (test/errors.test.ts)', 'torch:as_tensor': 'creation from JS data', 'torch:from_numpy': 'creation from JS data',
  'torch:zeros': 'creation from sizes', 'torch:ones': 'creation from sizes', 'torch:full': 'creation from sizes', 'torch:empty': 'creation from sizes',
  'torch:arange': 'creation from numbers', 'torch:linspace': 'creation from numbers', 'torch:eye': 'creation from sizes', 'torch:rand': 'random creation',
  'torch:randn': 'random creation', 'torch:randint': 'random creation', 'torch:randperm': 'random creation', 'torch:scalar_tensor': 'creation from a number',
  'torch:rand_like': 'random: no value to compare (shape rules as zeros_like)', 'torch:randn_like': 'random (as rand_like)', 'torch:randint_like': 'random (as rand_like)',
  'torch:view': 'torch.view does not exist in PyTorch; declared as the method',
  'torch:repeat': 'torch.repeat does not exist in PyTorch; declared as the method', 'torch:one_hot': 'not in PyTorch\'s torch namespace; declared as nn.functional.one_hot',
  'torch:expand': 'torch.expand does not exist in PyTorch; declared as the method',
  'torch:gelu': 'not in PyTorch\'s torch namespace; the same op as nn.functional.gelu (declared)', 'torch:silu': 'as torch:gelu (nn.functional.silu)',
  'torch:softplus': 'as torch:gelu (nn.functional.softplus)', 'torch:contiguous': 'not in PyTorch\'s torch namespace; declared as the method',
  // nn.functional
  'F:withLocalGrad': 'internal helper, not an op', 'F:max_pool2d_with_indices': 'max_pool2d with return_indices (declared as max_pool2d)',
  'F:upsample': 'deprecated alias of interpolate',
  'nn:deepcopy': "Python's copy.deepcopy of a module, not an op on tensors (test/nn_attention.test.ts)",
  // nn
  'nn:Module': 'base class', 'nn:Parameter': 'a tensor subclass', 'nn:Sequential': 'container', 'nn:ModuleList': 'container', 'nn:ModuleDict': 'container',
  'nn:ParameterList': 'container', 'nn:RNNBase': 'base class', 'nn:RNNCellBase': 'base class', 'nn:functional': 'namespace', 'nn:init': 'namespace', 'nn:utils': 'namespace',
  // optim
  'dist:Distribution': 'base class', 'dist:constraints': 'namespace',
  // torchvision transforms
  'transform:applyTransform': 'calls a transform, not one', 'transform:Compose': 'container', 'transform:Lambda': 'wraps a JS function',
  'transform:InterpolationMode': 'an enum',
  'transform:ToTensor': "takes a uint8 HWC tensor for the PIL image or ndarray of torchvision (no PIL in JS), where torchvision's refuses tensors (test/vision_transforms.test.ts, test/mnist_data.test.ts)",
  'sparse:mm': 'the same function as torch.spmm (declared)',
  // namespaces of torch that hold no ops on tensor inputs
  'ns:default_generator': 'random state', 'ns:autograd': 'autograd machinery (test/autograd.test.ts, gradcheck tests)', 'ns:webgpu': 'device management',
  'ns:cuda': 'device management (a CPU build)', 'ns:backends': 'device flags', 'ns:serialization': 'serialization (test/parsers_fuzz.test.ts, test/pt_fuzz.test.ts)',
  'ns:onnx': 'asynchronous model export (its argument errors: test/onnx_export.test.ts)',
  'ns:utils': 'data loading', 'ns:datasets': 'data sets from files (IDX parser fuzzed in test/parsers_fuzz.test.ts)',
  // the webtorch/vision entry point (torchvision)
  'vision:models': "model builders and classes made of declared layers; whole models are checked against torchvision by the model zoo's tests",
  'vision:io': 'image decoding from bytes (the model zoo and browser decoding tests)',
  'optim:Optimizer': 'base class', 'optim:required': 'a marker value', 'optim:lr_scheduler': 'namespace',
};
/** Tensor members that are not ops on their inputs. */
const SKIP_METHODS: Record<string, string> = Object.fromEntries([
  ...['constructor', 'is_sparse', 'device', 'is_webgpu', 'is_cuda', 'ndim', 'T', 'mT', 'requires_grad', 'is_leaf', 'grad', 'retains_grad', 'is_disposed', '_version'].map((k) => [k, 'a property']),
  ...['dim', 'nelement', 'element_size', 'size', 'stride', 'storage_offset', 'is_contiguous', 'is_floating_point', 'typeName', 'toString'].map((k) => [k, 'metadata']),
  ...['dispose', 'dataSync', 'data', 'itemSync', 'item', 'tolistSync', 'tolist', 'backward', 'register_hook', 'retain_grad', 'requires_grad_', 'detach_'].map((k) => [k, 'data access and autograd (test/autograd.test.ts, test/issue15.test.ts)']),
  ...['cuda', 'type', 'to', 'to_async', 'cpu', 'webgpu', 'float', 'double', 'int', 'long', 'bool', 'byte'].map((k) => [k, 'conversions (test/errors.test.ts, test/webgpu)']),
  ...['new_zeros', 'new_ones', 'new_empty', 'new_full', 'new_tensor'].map((k) => [k, 'creation from sizes']),
  ...['uniform_', 'normal_', 'bernoulli_'].map((k) => [k, 'random: no value to compare']),
  ...['index', 'slice', 'index_put_'].map((k) => [k, 'advanced indexing (test/ops_fixtures.test.ts); index_put declared']),
].concat(Object.getOwnPropertyNames(Tensor.prototype).filter((k) => k.startsWith('_')).map((k) => [k, 'internal'])));

// ---------------------------------------------------------------------------------- calling
const dtypeOf = (t: TSpec) => (t.T === 'int64' ? 'int32' : t.T);
function build(a: Arg, made: Tensor[], device?: string): unknown {
  if (Array.isArray(a)) return a.map((e) => build(e, made, device));
  if (a && typeof a === 'object') {
    if ('T' in a) {
      const v = valuesOf(a);
      let t = a.T === 'bool' ? torch.tensor(v.map((e) => e !== 0), { dtype: 'bool' }) : torch.tensor(v, { dtype: dtypeOf(a) });
      t = t.reshape(a.shape);
      if (device) t = t.to(device);
      if (a.disposed) t.dispose();
      made.push(t);
      return t;
    }
    if ('dim' in a) return a.dim;
    if ('module' in a) return new (torch.nn as any)[a.module](...(build(a.ctor, made) as unknown[]));
    if ('kw' in a) return Object.fromEntries(Object.entries(a.kw).map(([k, v]) => [k, build(v, made, device)]));
  }
  if (a === 'nan') return NaN;
  return a;
}

function call(c: Case, made: Tensor[], gpuAt = -1): unknown {
  let n = 0;
  const args = c.args.map((a) => {
    const onGpu = a && typeof a === 'object' && 'T' in a && n++ === gpuAt;
    return build(a, made, onGpu ? 'webgpu' : undefined);
  });
  const T = torch as unknown as Record<string, any>;
  switch (c.kind) {
    case 'torch': return T[c.name](...args);
    case 'method': return (args[0] as any)[c.name](...args.slice(1));
    case 'F': return (torch.nn.functional as any)[c.name](...args);
    case 'module': {
      const m = new (torch.nn as any)[c.name](...(build(ctorOf(c), made) as unknown[]));
      return m.call(...args);
    }
    case 'dist': return new (torch.distributions as any)[c.name](...args).entropy();
    case 'transform': return (torch.transforms as any)[c.name](...(build(ctorOf(c), made) as unknown[]))(...args);
    case 'optim': {
      const p = torch.tensor([1, -2], { dtype: 'float32', requires_grad: true });
      const opt = new (torch.optim as any)[c.name](c.rule === 'no_params' ? [] : [p], ...args);
      if (c.name === 'LBFGS') {
        opt.step(() => { opt.zero_grad(); const loss = p.mul(p).sum().div(2); loss.backward(); return loss; });
        return p.detach();
      }
      p.grad = torch.ones([2]);
      opt.step();
      return p.detach();
    }
  }
}

function encode(r: unknown): Enc {
  if (r instanceof torch.SparseCooTensor) return encode(r.to_dense());
  if (r instanceof Tensor) return { shape: [...r.shape], dtype: r.dtype, v: Array.from(r.dataSync() as ArrayLike<number>, Number) };
  if (Array.isArray(r)) return r.map(encode);
  if (typeof r === 'number' || typeof r === 'boolean') return { num: Number(r) };
  if (typeof r === 'string') return { str: r }; // Identity passes anything through
  if (r && typeof r === 'object' && 'values' in r && 'indices' in r) return [encode((r as any).values), encode((r as any).indices)];
  throw new Error(`unexpected result ${String(r)}`);
}
const num = (v: number | string) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : v);
const DTYPE: Record<string, string> = { int64: 'int32' };

/** Compares a result with PyTorch's; `shapeOnly` for random (initialized) modules. Returns a difference, or null. */
function differ(got: Enc, want: Enc, shapeOnly: boolean, at = 'result'): string | null {
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return `${at}: expected ${want.length} outputs, got ${Array.isArray(got) ? got.length : 1}`;
    for (let i = 0; i < want.length; i++) { const d = differ(got[i], want[i], shapeOnly, `${at}[${i}]`); if (d) return d; }
    return null;
  }
  if ('str' in want) return 'str' in got && got.str === want.str ? null : `${at}: expected the value ${JSON.stringify(want.str)}`;
  if ('num' in want) {
    if (!('num' in got)) return `${at}: expected the number ${want.num}`;
    return Object.is(num(got.num), num(want.num)) || Math.abs(num(got.num) - num(want.num)) < 1e-5 ? null : `${at}: ${got.num} vs PyTorch ${want.num}`;
  }
  if (Array.isArray(got) || 'num' in got || 'str' in got) return `${at}: expected a tensor`;
  if (JSON.stringify(got.shape) !== JSON.stringify(want.shape)) return `${at}: shape [${got.shape}] vs PyTorch [${want.shape}]`;
  if (got.dtype !== (DTYPE[want.dtype] ?? want.dtype)) return `${at}: dtype ${got.dtype} vs PyTorch ${want.dtype}`;
  if (shapeOnly) return null;
  for (let i = 0; i < want.v!.length; i++) {
    const a = num(got.v![i]), b = num(want.v![i]);
    if (Number.isNaN(b) ? !Number.isNaN(a) : !(a === b || Math.abs(a - b) <= 1e-4 + 1e-4 * Math.abs(b))) return `${at}: element ${i} is ${a}, PyTorch ${b}`;
  }
  return null;
}

const MODULE_FN: Record<string, string> = {
  BCELoss: 'binary_cross_entropy', BCEWithLogitsLoss: 'binary_cross_entropy_with_logits', CrossEntropyLoss: 'cross_entropy', NLLLoss: 'nll_loss', KLDivLoss: 'kl_div',
  NonDynamicallyQuantizableLinear: 'linear', Upsample: 'interpolate', UpsamplingNearest2d: 'interpolate', UpsamplingBilinear2d: 'interpolate', MultiheadAttention: 'multi_head_attention_forward',
  Dropout1d: 'dropout1d', Dropout2d: 'dropout2d', SiLU: 'silu', ReLU: 'relu', GELU: 'gelu', ELU: 'elu', ReLU6: 'relu6', LeakyReLU: 'leaky_relu',
};

/** Names an error may use for the op: its own, its alias target, its functional form. */
function opNames(c: Case): string[] {
  const base = c.name.replace(/_$/, '');
  const names = [c.name, base, ALIASES[base] ?? base];
  if (c.kind === 'module' || c.kind === 'optim' || c.kind === 'dist' || c.kind === 'transform') {
    // a layer's errors come from its functional form: Conv2d -> conv2d, BatchNorm1d -> batch_norm, MSELoss -> mse_loss
    const snake = c.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
    names.push(snake, snake.replace(/\d+d$/, ''), MODULE_FN[c.name] ?? snake);
  }
  return names;
}

function canaryOk(): boolean {
  const m = torch.tensor([[1, 2], [3, 4]]).matmul(torch.tensor([[1], [1]]));
  const s = torch.ones([3]).sum().itemSync();
  return JSON.stringify(m.tolistSync()) === '[[3],[7]]' && s === 3 && torch.is_grad_enabled();
}

// ------------------------------------------------------------------------------------- checks
/**
 * Cases whose outcome differs from PyTorch's, by case-id pattern, each with its reason: a
 * deliberate difference (in README's "Differences from PyTorch") or a finding not fixed yet.
 * A pattern that no longer matches a problem fails the test, so the list only shrinks.
 */
const KNOWN: [RegExp, string][] = [
  [/^(torch:(zeros_like|ones_like|empty_like|full_like|numel)|method:(numel|view_as|reshape_as|expand_as)):(index_)?disposed@[01]$/, 'reads only the shape and dtype of the disposed tensor, which stay valid after dispose'],
  [/^(method:(contiguous|to_dense)|module:Identity|F:dropout\w*):disposed@0$/, 'returns its input object unchanged (already contiguous, to_dense of a dense tensor, identity, dropout in eval): no data is read'],
  [/^(torch|method):sign:nan_inf@0$/, 'sign(NaN) is NaN in the generated kernels, PyTorch 1.13 gives 0: a kernel change (assembly/ and WGSL regeneration) left for later'],
  [/^method:(addcmul|addcdiv)_:float64@[12]$/, 'PyTorch 1.13 fails an internal assert (needs_dynamic_casting, a PyTorch bug); webtorch computes in float64 and writes the float32 tensor'],
  [/^(F:binary_cross_entropy_with_logits|module:BCEWithLogitsLoss):float64@0$|^(F:huber_loss|module:HuberLoss):float64@1$/, 'PyTorch 1.13 returns float32 for a float32/float64 pair here; webtorch promotes to float64 as its type promotion says'],
  [/^(F:pixel_unshuffle|module:PixelUnshuffle):empty@0$/, 'PyTorch 1.13 returns an empty batch unchanged ([0, 1, 4, 4]); webtorch gives the unshuffled shape [0, 4, 2, 2], as for a non-empty batch'],
  [/^module:(TransformerEncoder:ctor0@1|Transformer:ctor0@2)$/, "a stack of 0 encoder layers passes its input to the norm; PyTorch 1.13's TransformerEncoder.forward reads layers[0] for its fast-path check and raises IndexError"],
  [/^module:(TransformerDecoder:ctor-1@1|Transformer:ctor-1@3)$/, 'webtorch refuses num_layers=-1; PyTorch builds range(-1) layers, i.e. none'],
  [/^dist:MultivariateNormal:(empty|lastdim\+1)@0$/, "webtorch checks that loc's size matches the covariance matrix's; PyTorch 1.13 does not, and computes the entropy from loc's size"],
  [/^transform:(CenterCrop|RandomCrop):ctor-1@0$/, 'webtorch refuses a negative crop size; torchvision slices the image to an empty one'],
  [/^transform:RandomHorizontalFlip:scalar@0$/, "random: torchvision checks the image only when it flips it, and PyTorch's first draw after manual_seed(0) does not flip where webtorch's generator does"],
  [/^optim:NAdam:valid$/, "NAdam follows PyTorch 2's mu_product rule (PyTorch 1.13 multiplied by mu twice, a bug fixed upstream; ts/optim/nadam.ts)"],
  [/^optim:SGD:lr_nan$/, 'SGD refuses lr=NaN like the other optimizers; PyTorch 1.13 accepts it and turns every parameter into NaN'],
];
const known = (id: string) => KNOWN.find(([re]) => re.test(id));
const knownUsed = new Set<RegExp>();

const counts = { ops: 0, cases: 0, errorsMatched: 0, errorsNamingOp: 0, wordingMatched: 0, acceptedMatched: 0, known: 0, webtorchOnly: 0, mixedDevice: 0 };

type Outcome = { threw: unknown; value?: unknown; canary: boolean };
function runCase(c: Case, gpuAt = -1): Outcome {
  const made: Tensor[] = [];
  let threw: unknown = null, value: unknown;
  torch.manual_seed(0);
  try { value = call(c, made, gpuAt); } catch (e) { threw = e; }
  const canary = canaryOk();
  return { threw, value, canary };
}

/** The problem with case `c`, or null. */
function check(c: Case): string | null {
  const o = runCase(c);
  if (o.threw instanceof WebAssembly.RuntimeError) return `wasm trap: ${o.threw.message}`;
  if (!o.canary) return 'the canary computation after it went wrong (corrupted state)';
  const names = opNames(c);
  const names_it = (e: unknown) => e instanceof Error && names.some((n) => e.message.includes(n));
  if (c.webtorchOnly) {
    counts.webtorchOnly++;
    if (!(o.threw instanceof Error)) return 'a disposed input was accepted';
    if (!/dispos/.test(o.threw.message)) return `error does not say the tensor was disposed: ${o.threw.message}`;
    return null;
  }
  const want = FIXTURE.cases[c.id];
  if (!want) return 'no PyTorch outcome in test/fixtures/bad_input.json: run /usr/bin/python3 test/fixtures/gen_bad_input_fixtures.py';
  if (want.raises) {
    if (o.threw === null) return `PyTorch raises (${want.error}) but webtorch returned ${safeEncode(o.value)}`;
    if (!(o.threw instanceof Error)) return `threw a non-Error ${String(o.threw)}`;
    // the error names the op, or says what PyTorch says (an op built from others may report the inner op's check in PyTorch's words)
    const key = want.error.replace(/^\w+: /, '').slice(0, 24);
    const worded = key.length > 0 && o.threw.message.includes(key);
    if (!names_it(o.threw) && !worded) return `error names neither the op (${names[0]}) nor PyTorch's wording: ${o.threw.name}: ${o.threw.message} (PyTorch: ${want.error})`;
    counts.errorsMatched++;
    if (names_it(o.threw)) counts.errorsNamingOp++;
    if (worded) counts.wordingMatched++;
    return null;
  }
  if (o.threw !== null) return `PyTorch accepts it (${brief(want.result)}) but webtorch threw ${o.threw instanceof Error ? `${o.threw.name}: ${o.threw.message}` : String(o.threw)}`;
  let got: Enc;
  try { got = encode(o.value); } catch (e) { return (e as Error).message; }
  const d = differ(got, want.result, c.kind === 'module' || (c.kind === 'F' && /dropout/.test(c.name)) || c.name === 'empty_like' || c.name === 'multinomial' || (c.kind === 'transform' && c.name.startsWith('Random')));
  if (d) return d;
  counts.acceptedMatched++;
  return null;
}
const brief = (e: Enc): string => (Array.isArray(e) ? `(${e.map(brief).join(', ')})` : 'num' in e ? String(e.num) : 'str' in e ? e.str : `${e.dtype}[${e.shape}]`);
const safeEncode = (v: unknown) => { try { return brief(encode(v)); } catch { return String(v); } };

describe('every public op is declared or skipped with a reason', () => {
  const declared = new Set<string>();
  for (const c of cases()) declared.add(`${c.kind}:${c.name}`);
  it('torch.*, nn.functional, nn layers, optimizers, Tensor methods', () => {
    const missing: string[] = [];
    const see = (key: string) => { if (!declared.has(key) && !SKIP[key]) missing.push(key); };
    for (const [k, v] of Object.entries(torch)) if (typeof v === 'function') see(`torch:${k}`);
    for (const [k, v] of Object.entries(torch.nn.functional)) if (typeof v === 'function') see(`F:${k}`);
    for (const k of Object.keys(torch.nn)) see(/^[A-Z]/.test(k) ? `module:${k}` : `nn:${k}`);
    for (const k of Object.keys(torch.optim)) see(/^[A-Z]/.test(k) && k !== 'Optimizer' ? `optim:${k}` : `optim:${k}`);
    for (const k of Object.keys(torch.distributions)) see(`dist:${k}`);
    for (const k of Object.keys(torch.transforms)) see(`transform:${k}`);
    for (const k of Object.keys(torch.sparse)) see(`sparse:${k}`);
    // every other namespace of torch is walked above or set aside here
    for (const [k, v] of Object.entries(torch)) if (v && typeof v === 'object' && !['nn', 'optim', 'distributions', 'transforms', 'sparse'].includes(k)) see(`ns:${k}`);
    // the webtorch/vision entry point (torchvision)
    for (const k of Object.keys(torchvision)) if (k !== 'transforms') see(`vision:${k}`);
    expect(torchvision.transforms, "webtorch/vision's transforms are torch.transforms (walked)").toBe(torch.transforms);
    for (const k of Object.getOwnPropertyNames(Tensor.prototype)) if (!SKIP_METHODS[k] && !declared.has(`method:${k}`)) missing.push(`method:${k}`);
    // module and optimizer classes are keyed module:/optim: when declared, nn:/optim: in SKIP
    const real = missing.filter((k) => !SKIP[k.replace(/^module:/, 'nn:')]);
    counts.ops = declared.size;
    const both = [...Object.keys(SKIP).filter((k) => declared.has(k.replace(/^nn:/, 'module:'))), ...Object.keys(SKIP_METHODS).filter((k) => declared.has(`method:${k}`))];
    expect(both, 'skipped but also declared: drop the skip entry').toEqual([]);
    expect(real, 'declare these in test/helpers/bad_input_decls.ts, or skip them here with a reason').toEqual([]);
    counts.ops = declared.size;
  });
});

describe('bad inputs: PyTorch errors, PyTorch results, no traps, no corrupted state', () => {
  // the losses warn once about broadcasting a mismatched target (as PyTorch does); keep the output quiet
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  const all = cases();
  const byOp = new Map<string, Case[]>();
  for (const c of all) { const k = `${c.kind}:${c.name}`; byOp.set(k, [...(byOp.get(k) ?? []), c]); }
  const problems: string[] = [];
  for (const [op, cs] of byOp) {
    it(op, () => {
      const mine: string[] = [];
      for (const c of cs) {
        counts.cases++;
        const p = check(c);
        const k = known(c.id);
        if (p && k) { knownUsed.add(k[0]); counts.known++; } else if (p) mine.push(`${c.id}: ${p}`);
      }
      problems.push(...mine);
      expect(mine).toEqual([]);
    });
  }
  it.runIf(hasGpu)('mixed devices (cpu + webgpu) raise as PyTorch does', () => {
    // PyTorch: "Expected all tensors to be on the same device"; a tensor op with one operand on
    // each device must refuse, not read the other device's memory
    // view_as, reshape_as, expand_as and type_as read only the other tensor's shape or type (PyTorch accepts them across devices)
    const two = declarations().filter((d) => (d.kind === 'torch' || d.kind === 'F' || d.kind === 'method') && !d.name.endsWith('_as')
      && d.args.filter((a) => a && typeof a === 'object' && 'T' in a).length >= 2);
    const mine: string[] = [];
    for (const d of two) {
      const c: Case = { ...d, id: `${d.kind}:${d.name}:mixed`, rule: 'mixed' };
      const o = runCase(c, 1);
      counts.mixedDevice++;
      if (o.threw instanceof WebAssembly.RuntimeError || !o.canary) mine.push(`${c.id}: trap or corrupted state`);
      else if (!(o.threw instanceof Error)) mine.push(`${c.id}: mixed devices were accepted`);
      else if (!opNames(c).some((n) => (o.threw as Error).message.includes(n)) && !(o.threw as Error).message.includes('Expected all tensors to be on the same device')) mine.push(`${c.id}: error does not name the op: ${(o.threw as Error).message}`);
      else counts.errorsMatched++;
    }
    expect(mine).toEqual([]);
  });
  it('counts', () => {
    console.log(`bad inputs: ${counts.ops} ops walked, ${counts.cases} cases (+${counts.mixedDevice} mixed-device), ${counts.errorsMatched} errors matched (${counts.errorsNamingOp} naming the op, ${counts.wordingMatched} in PyTorch's wording), ${counts.acceptedMatched} PyTorch-accepted cases matched, ${counts.webtorchOnly} disposed-input cases, ${counts.known} known differences (${KNOWN.length} patterns); ${problems.length} problems`);
    expect(KNOWN.filter(([re]) => !knownUsed.has(re)).map(([re]) => String(re)), 'KNOWN patterns that match no problem any more: remove them').toEqual([]);
    if (process.env.BAD_INPUT_REPORT) writeFileSync(process.env.BAD_INPUT_REPORT, problems.join('\n') + '\n');
    expect(counts.cases).toBeGreaterThan(1000);
  });
});

// METHOD_TWINS and INPLACE are re-exported for readers of this file: which methods share a torch.* op's cases
void METHOD_TWINS; void INPLACE;
