"""What gen_pt_fixtures.py and pt_check.py share: the test Net and the JSON encoding of what
webtorch's torch.load should return for a Python value (see gen_pt_fixtures.py's docstring)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

WT_DTYPE = {torch.float32: 'float32', torch.float16: 'float32', torch.bfloat16: 'float32', torch.float64: 'float64',
            torch.int64: 'int32', torch.int32: 'int32', torch.int16: 'int32', torch.int8: 'int32',
            torch.uint8: 'uint8', torch.bool: 'bool'}


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 3)
        self.bn = nn.BatchNorm2d(3)
        self.fc = nn.Linear(3 * 4 * 4, 5)

    def forward(self, x):
        return self.fc(F.relu(self.bn(self.conv(x))).flatten(1))


def fnum(v):
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return {'__float__': str(v)}
    return v


def enc(v):
    """What webtorch's torch.load should return for v, as JSON."""
    if isinstance(v, torch.Tensor):
        t = v.detach()
        vals = t.to(torch.float32 if t.dtype in (torch.float16, torch.bfloat16) else t.dtype).reshape(-1).tolist()
        return {'__tensor__': {'dtype': WT_DTYPE[t.dtype], 'shape': list(t.shape), 'values': [fnum(x) for x in vals],
                               'requires_grad': v.requires_grad, 'parameter': isinstance(v, nn.Parameter)}}
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if abs(v) < 2 ** 53 else {'__bigint__': str(v)}
    if isinstance(v, float):
        return fnum(v)
    if isinstance(v, (bytes, bytearray)):
        return {'__bytes__': list(v)}
    if isinstance(v, torch.dtype):
        return WT_DTYPE.get(v, str(v))
    if isinstance(v, torch.device):
        return str(v)
    if isinstance(v, (set, frozenset)):
        return {'__set__': [enc(x) for x in v]}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        if all(isinstance(k, str) or (isinstance(k, int) and not isinstance(k, bool)) for k in v):
            return {str(k): enc(x) for k, x in v.items()}
        return {'__map__': [[enc(k), enc(x)] for k, x in v.items()]}
    raise TypeError(type(v))
