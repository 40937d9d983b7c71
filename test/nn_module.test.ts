// nn.Module behaviour: registration, introspection, modes, state_dict (keys equal PyTorch's),
// hooks, reprs, containers, and clear errors.
import { describe, it, expect, vi } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const { nn } = torch;
const F = nn.functional;
const here = dirname(fileURLToPath(import.meta.url));
const MODELS = JSON.parse(readFileSync(join(here, 'fixtures', 'nn_models.json'), 'utf8')).models as Record<string, { keys: [string, number[]][]; params: string[]; buffers: string[]; modules: string[]; repr: string }>;

class Net extends nn.Module {
  conv1: InstanceType<typeof nn.Conv2d>;
  conv2: InstanceType<typeof nn.Conv2d>;
  fc1: InstanceType<typeof nn.Linear>;
  fc2: InstanceType<typeof nn.Linear>;
  constructor() {
    super();
    this.conv1 = new nn.Conv2d(1, 20, 5, 1);
    this.conv2 = new nn.Conv2d(20, 50, 5, 1);
    this.fc1 = new nn.Linear(4 * 4 * 50, 500);
    this.fc2 = new nn.Linear(500, 10);
  }
  override forward(x: Tensor): Tensor {
    x = F.relu(this.conv1.call(x));
    x = F.max_pool2d(x, 2, 2);
    x = F.relu(this.conv2.call(x));
    x = F.max_pool2d(x, 2, 2);
    x = x.view(-1, 4 * 4 * 50);
    x = F.relu(this.fc1.call(x));
    return F.log_softmax(this.fc2.call(x), 1);
  }
}

// the same tree as gen_nn_fixtures.py's Mixed, written with class fields
class Mixed extends nn.Module {
  features = new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Dropout2d(0.25));
  blocks = new nn.ModuleList([new nn.Linear(8, 8), new nn.BatchNorm1d(8), new nn.GELU('tanh')]);
  head = new nn.Sequential(new Map<string, InstanceType<typeof nn.Module>>([['fc', new nn.Linear(8, 4, { bias: false })], ['ln', new nn.LayerNorm(4)], ['act', new nn.LeakyReLU(0.2)]]));
  scale = new nn.Parameter(torch.ones(1));
  constructor() {
    super();
    this.register_buffer('steps', torch.zeros(1));
    this.register_buffer('tmp', torch.zeros(1), { persistent: false });
    this.plist = new nn.ParameterList([new nn.Parameter(torch.zeros(2, 2)), new nn.Parameter(torch.zeros(3))]);
    this.mdict = new nn.ModuleDict({ a: new nn.Conv1d(2, 2, 3, { stride: 2, bias: false }), b: new nn.GroupNorm(2, 4), c: new nn.Embedding(10, 3, { padding_idx: 0 }) });
    this.extra = new nn.Sequential(new nn.ConvTranspose2d(8, 4, 3, { stride: 2, padding: 1, output_padding: 1 }), new nn.AvgPool2d(2),
      new nn.AdaptiveAvgPool2d([1, 1]), new nn.Flatten(), new nn.Dropout(0.5), new nn.Identity());
  }
  declare plist: InstanceType<typeof nn.ParameterList>;
  declare mdict: InstanceType<typeof nn.ModuleDict>;
  declare extra: InstanceType<typeof nn.Sequential>;
}

const keysAndShapes = (m: InstanceType<typeof nn.Module>) => Object.entries(m.state_dict()).map(([k, v]) => [k, v.shape]);

describe('state_dict keys equal PyTorch', () => {
  it('MNIST Net', () => {
    const net = new Net();
    expect(keysAndShapes(net)).toEqual(MODELS.Net.keys);
    expect(String(net)).toBe(MODELS.Net.repr);
  });
  it('Mixed (Sequential, ModuleList, ModuleDict, ParameterList, BatchNorm, buffers)', () => {
    const m = new Mixed();
    expect(keysAndShapes(m)).toEqual(MODELS.Mixed.keys);
    expect(m.named_parameters().map(([k]) => k)).toEqual(MODELS.Mixed.params);
    expect(m.named_buffers().map(([k]) => k)).toEqual(MODELS.Mixed.buffers);
    expect(m.named_modules().map(([k]) => k)).toEqual(MODELS.Mixed.modules);
    // reprs match except ParameterList's nested indent
    const ours = String(m).split('\n').filter((l) => !l.includes('Parameter containing'));
    const theirs = MODELS.Mixed.repr.split('\n').filter((l) => !l.includes('Parameter containing'));
    expect(ours).toEqual(theirs);
  });
  it('round-trips through load_state_dict', () => {
    const a = new Net(), b = new Net();
    b.load_state_dict(a.state_dict());
    for (const [k, v] of Object.entries(a.state_dict())) expect(Array.from(b.state_dict()[k].dataSync())).toEqual(Array.from(v.dataSync()));
    const x = torch.randn(2, 1, 28, 28);
    expect(Array.from(b.call(x).dataSync())).toEqual(Array.from(a.call(x).dataSync()));
  });
});

describe('registration and introspection', () => {
  it('registers submodules and parameters in assignment order; plain values stay plain', () => {
    class M extends nn.Module {
      declare w: Tensor; declare lin: InstanceType<typeof nn.Linear>; declare note: string;
      constructor() {
        super();
        this.w = new nn.Parameter(torch.randn(3));
        this.lin = new nn.Linear(3, 2);
        this.note = 'hello';
        this.register_buffer('buf', torch.zeros(2));
      }
      override forward(x: Tensor) { return this.lin.call(x.mul(this.w)); }
    }
    const m = new M();
    expect(m.named_parameters().map(([k]) => k)).toEqual(['w', 'lin.weight', 'lin.bias']);
    expect(m.parameters().length).toBe(3);
    expect(m.named_children().map(([k]) => k)).toEqual(['lin']);
    expect(m.children()[0]).toBe(m.lin);
    expect(m.modules().length).toBe(2);
    expect(m.buffers().length).toBe(1);
    expect(m.note).toBe('hello');
    expect(m.w.requires_grad).toBe(true);
    expect(String(m.w).startsWith('Parameter containing:\ntensor(')).toBe(true);
    expect(m.call(torch.randn(4, 3)).shape).toEqual([4, 2]);
    // replacing and deleting
    m.lin = new nn.Linear(3, 5);
    expect(m.named_parameters().map(([k, p]) => [k, p.shape])).toEqual([['w', [3]], ['lin.weight', [5, 3]], ['lin.bias', [5]]]);
    expect(() => { (m as any).w = torch.randn(3); }).toThrow(/cannot assign 'torch.FloatTensor' as parameter 'w'/);
    delete (m as any).lin;
    expect(m.named_children()).toEqual([]);
  });
  it('works with #private fields, accessors and subclass-of-subclass', () => {
    class Base extends nn.Module {
      #scale = 2;
      declare fc: InstanceType<typeof nn.Linear>;
      constructor() { super(); this.fc = new nn.Linear(2, 2); }
      get scale() { return this.#scale; }
      set scale(v: number) { this.#scale = v; }
      override forward(x: Tensor) { return this.fc.call(x).mul(this.#scale); }
    }
    class Derived extends Base {
      extra = new nn.Linear(2, 1);
      override forward(x: Tensor) { return this.extra.call(super.forward(x)); }
    }
    const d = new Derived();
    d.scale = 3;
    expect(d.scale).toBe(3);
    expect(d).toBeInstanceOf(Base);
    expect(d).toBeInstanceOf(nn.Module);
    expect(Object.keys(d.state_dict())).toEqual(['fc.weight', 'fc.bias', 'extra.weight', 'extra.bias']);
    expect(d.call(torch.randn(4, 2)).shape).toEqual([4, 1]);
    expect(String(d)).toBe('Derived(\n  (fc): Linear(in_features=2, out_features=2, bias=True)\n  (extra): Linear(in_features=2, out_features=1, bias=True)\n)');
  });
  it('register_parameter, add_module, register_buffer (persistent or not), apply', () => {
    const m = new nn.Module();
    m.register_parameter('p', new nn.Parameter(torch.ones(2)));
    m.add_module('sub', new nn.Linear(2, 2));
    m.register_buffer('a', torch.zeros(1));
    m.register_buffer('b', torch.zeros(1), false);
    expect(Object.keys(m.state_dict())).toEqual(['p', 'a', 'sub.weight', 'sub.bias']);
    expect(m.named_buffers().map(([k]) => k)).toEqual(['a', 'b']);
    const seen: string[] = [];
    m.apply((mm) => seen.push(mm._get_name()));
    expect(seen).toEqual(['Linear', 'Module']);
    expect(() => m.register_parameter('q', torch.ones(1) as any)).toThrow(/Parameter or None required/);
    expect(() => m.register_parameter('a.b', null)).toThrow(/can't contain "\."/);
  });
  it('train/eval, zero_grad, requires_grad_, to(dtype)', () => {
    const net = new Net();
    expect(net.training).toBe(true);
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.conv1.training).toBe(true);
    const out = net.call(torch.randn(2, 1, 28, 28));
    out.sum().backward();
    expect(net.fc1.weight.grad).not.toBeNull();
    net.zero_grad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    net.call(torch.randn(2, 1, 28, 28)).sum().backward();
    net.zero_grad({ set_to_none: false });
    expect(Array.from(net.fc2.bias!.grad!.dataSync()).every((v) => v === 0)).toBe(true);
    net.requires_grad_(false);
    expect(net.parameters().every((p) => !p.requires_grad)).toBe(true);
    net.requires_grad_(true);
    const before = net.fc2.weight;
    net.to('float64');
    expect(net.parameters().every((p) => p.dtype === 'float64' && p instanceof nn.Parameter && p.requires_grad)).toBe(true);
    expect(net.fc2.weight).not.toBe(before);
    expect(net.call(torch.randn(1, 1, 28, 28, { dtype: 'float64' })).dtype).toBe('float64');
    net.to({ dtype: 'float32' });
    expect(net.fc2.weight.dtype).toBe('float32');
    expect(() => net.to('cuda')).toThrow(/not available/);
  });
  it('forward pre-hooks and forward hooks run from call(), not forward()', () => {
    const lin = new nn.Linear(3, 2);
    const log: string[] = [];
    const h1 = lin.register_forward_pre_hook((_m, args) => { log.push('pre'); return [(args[0] as Tensor).mul(0)]; });
    const h2 = lin.register_forward_hook((_m, _a, out) => { log.push('post'); return (out as Tensor).add(1); });
    const y = lin.call(torch.randn(4, 3));
    expect(log).toEqual(['pre', 'post']);
    const b = Array.from(lin.bias!.dataSync());
    expect(Array.from(y.dataSync()).map((v, i) => v - b[i % 2])).toEqual(Array(8).fill(1).map(() => expect.closeTo(1, 6)));
    lin.forward(torch.randn(1, 3));
    expect(log.length).toBe(2);
    h1.remove(); h2.remove();
    lin.call(torch.randn(1, 3));
    expect(log.length).toBe(2);
  });
  it('state_dict values are detached and load_state_dict copies in place', () => {
    const lin = new nn.Linear(2, 2);
    const sd = lin.state_dict();
    expect(sd.weight.requires_grad).toBe(false);
    const w = lin.weight;
    lin.load_state_dict({ weight: torch.ones(2, 2), bias: torch.zeros(2) });
    expect(lin.weight).toBe(w);
    expect(Array.from(w.dataSync())).toEqual([1, 1, 1, 1]);
  });
  it('load_state_dict errors name missing, unexpected and mis-shaped keys', () => {
    const net = new Net();
    const sd = net.state_dict();
    delete sd['fc2.bias'];
    sd['fc3.weight'] = torch.zeros(1);
    sd['conv1.weight'] = torch.zeros(20, 1, 3, 3);
    let msg = '';
    try { net.load_state_dict(sd); } catch (e) { msg = (e as Error).message; }
    expect(msg).toContain('Error(s) in loading state_dict for Net:');
    expect(msg).toContain('Missing key(s) in state_dict: "fc2.bias".');
    expect(msg).toContain('Unexpected key(s) in state_dict: "fc3.weight".');
    expect(msg).toContain('size mismatch for conv1.weight: copying a param with shape torch.Size([20, 1, 3, 3]) from checkpoint, the shape in current model is torch.Size([20, 1, 5, 5]).');
    sd['conv1.weight'] = torch.zeros(20, 1, 5, 5);
    const r = net.load_state_dict(sd, { strict: false });
    expect(r).toEqual({ missing_keys: ['fc2.bias'], unexpected_keys: ['fc3.weight'] });
  });
});

describe('containers', () => {
  it('Sequential: positional, from a Map, indexing, append/insert/pop, slicing', () => {
    const s = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2));
    expect(s.length).toBe(3);
    expect((s as any)[0]).toBe(s.get(0));
    expect(s.get(-1)).toBe((s as any)[2]);
    expect(s.call(torch.randn(5, 4)).shape).toEqual([5, 2]);
    expect(Object.keys(s.state_dict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    s.append(new nn.Softmax(1));
    expect(String(s)).toBe('Sequential(\n  (0): Linear(in_features=4, out_features=3, bias=True)\n  (1): ReLU()\n  (2): Linear(in_features=3, out_features=2, bias=True)\n  (3): Softmax(dim=1)\n)');
    s.pop();
    s.insert(1, new nn.Dropout(0.1));
    expect([...s].map((m) => m._get_name())).toEqual(['Linear', 'Dropout', 'ReLU', 'Linear']);
    expect(s.slice(0, 2).length).toBe(2);
    const named = new nn.Sequential({ fc: new nn.Linear(2, 2), act: new nn.Tanh() });
    expect(Object.keys(named.state_dict())).toEqual(['fc.weight', 'fc.bias']);
  });
  it('ModuleList, ModuleDict, ParameterList', () => {
    const l = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
    l.append(new nn.Linear(2, 3));
    expect(l.length).toBe(3);
    expect(Object.keys(l.state_dict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '2.weight', '2.bias']);
    expect(() => (l as any).call(torch.ones(1))).toThrow(/not callable/);
    const d = new nn.ModuleDict({ train: new nn.Linear(1, 1), b: new nn.ReLU() });
    expect(typeof d.train).toBe('function'); // keys never shadow methods
    expect(d.get('train')).toBeInstanceOf(nn.Linear);
    expect(d.keys()).toEqual(['train', 'b']);
    const p = new nn.ParameterList([torch.zeros(2), torch.ones(3)]);
    expect(p.length).toBe(2);
    expect(p.get(1)).toBeInstanceOf(nn.Parameter);
    expect(Object.keys(p.state_dict())).toEqual(['0', '1']);
  });
});

describe('errors', () => {
  it('conv2d: wrong input channels, input smaller than kernel, wrong rank', () => {
    const c = new nn.Conv2d(1, 20, 5);
    expect(() => c.call(torch.randn(2, 3, 28, 28))).toThrow('Given groups=1, weight of size [20, 1, 5, 5], expected input[2, 3, 28, 28] to have 1 channels, but got 3 channels instead');
    expect(() => c.call(torch.randn(2, 1, 3, 3))).toThrow(/Calculated padded input size per channel: \(3 x 3\). Kernel size: \(5 x 5\). Kernel size can't be greater than actual input size/);
    expect(() => c.call(torch.randn(28, 28))).toThrow('Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [28, 28]');
    expect(c.call(torch.randn(1, 8, 8)).shape).toEqual([20, 4, 4]); // unbatched 3-D, as PyTorch
  });
  it('batch norm and pooling shape errors', () => {
    expect(() => new nn.BatchNorm2d(3).call(torch.randn(3, 4, 4))).toThrow('expected 4D input (got 3D input)');
    expect(() => new nn.BatchNorm1d(3).call(torch.randn(1, 3))).toThrow(/Expected more than 1 value per channel when training/);
    expect(() => F.max_pool2d(torch.randn(4, 4), 2)).toThrow(/Expected 3D or 4D/);
    expect(() => F.max_pool2d(torch.randn(1, 1, 4, 4), 2, 2, 2)).toThrow(/pad should be at most half/);
    expect(() => new nn.Linear(3, 2).call(torch.randn(4, 5))).toThrow('mat1 and mat2 shapes cannot be multiplied (4x5 and 3x2)');
  });
  it('losses: target dtype and shape mismatches', () => {
    const x = torch.randn(4, 3);
    expect(() => F.cross_entropy(x, torch.tensor([0, 1, 2, 1.5]))).toThrow(/class-probability target must have the same shape as input/);
    expect(() => F.nll_loss(x, torch.tensor([0, 1, 2, 1], { dtype: 'float32' }))).toThrow(/expected target of dtype int32 \(PyTorch's Long\)/);
    expect(() => F.cross_entropy(x, torch.tensor([0, 1, 2], { dtype: 'int32' }))).toThrow('Expected input batch_size (4) to match target batch_size (3).');
    expect(() => F.nll_loss(x, torch.tensor([0, 1, 2, 3], { dtype: 'int32' }))).toThrow(/Target 3 is out of bounds/);
    expect(() => F.binary_cross_entropy(torch.rand(3, 1), torch.rand(3))).toThrow(/Using a target size \(\[3\]\) that is different to the input size \(\[3, 1\]\)/);
    expect(() => F.binary_cross_entropy_with_logits(torch.rand(3, 1), torch.rand(3))).toThrow('Target size ([3]) must be the same as input size ([3, 1])');
    // an int target promotes to the input's dtype, as in PyTorch (test/bad_input.test.ts checks it against PyTorch)
    expect(F.mse_loss(x, torch.zeros([4, 3], { dtype: 'int32' })).dtype).toBe('float32');
    expect(() => F.mse_loss(x, torch.randn(5))).toThrow(/must match/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    F.mse_loss(x, torch.randn(3));
    warn.mockRestore();
  });
});
