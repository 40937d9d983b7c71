#!/usr/bin/env python3
"""Reads and writes safetensors files with only the Python standard library and torch.

Used by test/serialization_python.test.ts to exchange files with webtorch in both directions,
and to record test/fixtures/torch_written.safetensors.

  safetensors_roundtrip.py write PATH        write the reference state dicts (see reference())
  safetensors_roundtrip.py dump PATH         print {name: {dtype, shape, values}} as JSON
  safetensors_roundtrip.py load_net PATH     load PATH into the seed MNIST Net (strict) and print
                                             the sum of its outputs on a fixed input
  safetensors_roundtrip.py save_net PATH     save that Net's state_dict (seeded) and print the same
  safetensors_roundtrip.py eval_mnist PATH ARCH DIR   MNIST test accuracy of a saved model (seed|current)
  safetensors_roundtrip.py optim_continue IN OUT sgd|adadelta
                                             load {model, optimizer} saved by webtorch into the seed
                                             Net and that optimizer, take one step, save it back
  safetensors_roundtrip.py load_optim PATH   rebuild a webtorch structured file (optimizer state)
                                             and print it as JSON
"""
import json
import struct
import sys

import torch

DTYPES = {
    'F64': torch.float64, 'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16,
    'I64': torch.int64, 'I32': torch.int32, 'I16': torch.int16, 'I8': torch.int8,
    'U8': torch.uint8, 'BOOL': torch.bool,
}
NAMES = {v: k for k, v in DTYPES.items()}


def save_file(tensors, path, metadata=None):
    """tensors: dict name -> tensor. Writes widest dtypes first (keeps every tensor aligned)."""
    items = sorted(tensors.items(), key=lambda kv: -kv[1].element_size())
    header, blobs, off = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for name, t in items:
        b = t.detach().contiguous().cpu().numpy().tobytes() if t.dtype != torch.bfloat16 else \
            t.detach().contiguous().view(torch.int16).numpy().tobytes()
        header[name] = {'dtype': NAMES[t.dtype], 'shape': list(t.shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load_file(path):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop('__metadata__', {})
    out = {}
    start = 8 + n
    for name, e in header.items():
        b, end = e['data_offsets']
        dt = DTYPES[e['dtype']]
        raw = bytearray(data[start + b:start + end])
        t = torch.frombuffer(raw, dtype=dt) if len(raw) else torch.empty(0, dtype=dt)
        out[name] = t.reshape(e['shape'])
    return out, meta


def rebuild(meta, tensors):
    def walk(v):
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            if set(v) == {'__tensor__'}:
                return tensors[v['__tensor__']]
            if set(v) == {'__float__'}:
                return float(v['__float__'])
            return {k: walk(x) for k, x in v.items()}
        return v
    s = meta.get('webtorch.structure')
    return walk(json.loads(s)) if s is not None else tensors


def flatten(obj):
    """The inverse of rebuild(): (tensors by dotted path, webtorch structure JSON)."""
    tensors = {}

    def walk(v, path):
        if isinstance(v, torch.Tensor):
            name = '.'.join(path) or 'tensor'
            tensors[name] = v
            return {'__tensor__': name}
        if isinstance(v, dict):
            return {str(k): walk(x, path + [str(k)]) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [walk(x, path + [str(i)]) for i, x in enumerate(v)]
        if isinstance(v, float) and (v != v or v in (float('inf'), float('-inf'))):
            return {'__float__': str(v).replace('inf', 'Infinity').replace('nan', 'NaN')}
        return v
    structure = walk(obj, [])
    return tensors, json.dumps(structure)


def optim_continue(src, dst, opt_name):
    """Loads {model, optimizer} saved by webtorch, takes one step on the probe batch, saves it back."""
    tensors, meta = load_file(src)
    obj = rebuild(meta, tensors)
    net = Net()
    net.load_state_dict(obj['model'], strict=True)
    opt = torch.optim.SGD(net.parameters(), lr=0.5, momentum=0.9) if opt_name == 'sgd' else torch.optim.Adadelta(net.parameters(), lr=0.5)
    osd = obj['optimizer']
    osd['state'] = {int(k): v for k, v in osd['state'].items()}
    opt.load_state_dict(osd)
    x = (torch.arange(2 * 784, dtype=torch.float32).reshape(2, 1, 28, 28) % 17) / 17
    y = torch.tensor([3, 7])
    opt.zero_grad()
    torch.nn.functional.nll_loss(net(x), y).backward()
    opt.step()
    out, structure = flatten({'model': net.state_dict(), 'optimizer': opt.state_dict()})
    save_file(out, dst, {'format': 'pt', 'webtorch.structure': structure})
    return {'lr': opt.param_groups[0]['lr']}


def reference():
    """Tensors whose values a test can compute without this script (arange-based)."""
    return {
        'weight': (torch.arange(12, dtype=torch.float32) / 4 - 1).reshape(3, 4),
        'bias': torch.tensor([0.5, -1.25, 3.0e-7], dtype=torch.float32),
        'double': torch.tensor([[1.0 / 3, -2.5], [1e300, -0.0]], dtype=torch.float64),
        'long': torch.tensor([-3, 0, 2 ** 31 - 1, -2 ** 31], dtype=torch.int64),
        'int': torch.arange(-2, 4, dtype=torch.int32).reshape(2, 3),
        'bytes': torch.tensor([0, 7, 255], dtype=torch.uint8),
        'mask': torch.tensor([True, False, True]),
        'scalar': torch.tensor(2.5),
        'empty': torch.zeros(0, 3),
        'half': torch.tensor([1.0, -0.5, 65504.0], dtype=torch.float16),
    }


class Net(torch.nn.Module):
    """The seed pytorch/examples MNIST net (conv 1-20 5x5, conv 20-50 5x5, fc 800-500-10)."""
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 20, 5, 1)
        self.conv2 = torch.nn.Conv2d(20, 50, 5, 1)
        self.fc1 = torch.nn.Linear(4 * 4 * 50, 500)
        self.fc2 = torch.nn.Linear(500, 10)

    def forward(self, x):
        F = torch.nn.functional
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2, 2)
        x = F.relu(self.fc1(x.view(-1, 4 * 4 * 50)))
        return F.log_softmax(self.fc2(x), dim=1)


class CurrentNet(torch.nn.Module):
    """pytorch/examples mnist Net today."""
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 32, 3, 1)
        self.conv2 = torch.nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = torch.nn.Dropout(0.25)
        self.dropout2 = torch.nn.Dropout(0.5)
        self.fc1 = torch.nn.Linear(9216, 128)
        self.fc2 = torch.nn.Linear(128, 10)

    def forward(self, x):
        F = torch.nn.functional
        x = F.relu(self.conv2(F.relu(self.conv1(x))))
        x = self.dropout1(F.max_pool2d(x, 2))
        x = self.dropout2(F.relu(self.fc1(torch.flatten(x, 1))))
        return F.log_softmax(self.fc2(x), dim=1)


def read_idx_gz(path):
    import gzip
    with gzip.open(path, 'rb') as f:
        data = f.read()
    nd = data[3]
    dims = struct.unpack('>' + 'I' * nd, data[4:4 + 4 * nd])
    return torch.frombuffer(bytearray(data[4 + 4 * nd:]), dtype=torch.uint8).reshape(dims)


def eval_mnist(path, arch, data_dir):
    """Accuracy of a saved webtorch model on the MNIST test set, computed by PyTorch."""
    tensors, _ = load_file(path)
    net = Net() if arch == 'seed' else CurrentNet()
    net.load_state_dict(tensors, strict=True)
    net.eval()
    x = (read_idx_gz(data_dir + '/t10k-images-idx3-ubyte.gz').float().div(255).unsqueeze(1) - 0.1307) / 0.3081
    y = read_idx_gz(data_dir + '/t10k-labels-idx1-ubyte.gz').long()
    with torch.no_grad():
        correct = sum(int(net(x[i:i + 1000]).argmax(1).eq(y[i:i + 1000]).sum()) for i in range(0, len(y), 1000))
    return {'correct': correct, 'total': len(y)}


def probe(net):
    x = (torch.arange(2 * 784, dtype=torch.float32).reshape(2, 1, 28, 28) % 17) / 17
    with torch.no_grad():
        return float(net(x).sum())


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == 'write':
        save_file(reference(), path, {'format': 'pt', 'writer': 'python'})
    elif cmd == 'dump':
        tensors, meta = load_file(path)
        out = {}
        for k, t in tensors.items():
            vals = t.double().flatten().tolist() if t.dtype != torch.bool else t.flatten().tolist()
            out[k] = {'dtype': NAMES[t.dtype], 'shape': list(t.shape), 'values': [
                v if not isinstance(v, float) or v == v and abs(v) != float('inf') else str(v) for v in vals]}
        print(json.dumps({'tensors': out, 'metadata': meta}))
    elif cmd == 'load_net':
        tensors, _ = load_file(path)
        net = Net()
        net.load_state_dict(tensors, strict=True)
        print(json.dumps({'probe': probe(net)}))
    elif cmd == 'save_net':
        torch.manual_seed(0)
        net = Net()
        save_file(net.state_dict(), path, {'format': 'pt'})
        print(json.dumps({'probe': probe(net)}))
    elif cmd == 'eval_mnist':
        print(json.dumps(eval_mnist(path, sys.argv[3], sys.argv[4])))
    elif cmd == 'optim_continue':
        print(json.dumps(optim_continue(path, sys.argv[3], sys.argv[4])))
    elif cmd == 'load_optim':
        tensors, meta = load_file(path)
        obj = rebuild(meta, tensors)

        def to_json(v):
            if isinstance(v, torch.Tensor):
                return {'tensor': v.double().flatten().tolist(), 'shape': list(v.shape), 'dtype': NAMES[v.dtype]}
            if isinstance(v, dict):
                return {k: to_json(x) for k, x in v.items()}
            if isinstance(v, list):
                return [to_json(x) for x in v]
            return v
        print(json.dumps(to_json(obj)))
    else:
        raise SystemExit('unknown command ' + cmd)


if __name__ == '__main__':
    main()
