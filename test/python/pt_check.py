#!/usr/bin/env python3
"""Loads checkpoints that webtorch wrote with torch.save(obj, path, { format: 'pt' }) into PyTorch.

Used by test/pt_load.test.ts (skipped when torch is not importable).

  pt_check.py load PATH          torch.load(PATH, weights_only=True); print {"weights_only": true,
                                 "value": ENC, "shares": [[a, b], ...]} where ENC is the encoding of
                                 test/fixtures/gen_pt_fixtures.py and shares lists the top-level
                                 keys whose tensors share one storage. When weights_only=True fails
                                 (PyTorch 1.13's restricted unpickler has no float opcode), load
                                 with weights_only=False and say so: "weights_only": false, "error".
  pt_check.py net PATH IN_JSON   load the state_dict at PATH (weights_only=True, strict) into the
                                 fixtures' Net, run it in eval mode on IN_JSON's {"input", "shape"}
                                 and print the output as a flat list
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pt_common import Net, enc  # noqa: E402


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == 'load':
        try:
            obj = torch.load(path, weights_only=True)
            wo, err = True, None
        except Exception as e:  # 1.13: floats are not readable with weights_only=True
            obj = torch.load(path, weights_only=False)
            wo, err = False, str(e)
        shares = []
        if isinstance(obj, dict):
            items = [(k, v) for k, v in obj.items() if isinstance(v, torch.Tensor)]
            for i, (a, ta) in enumerate(items):
                for b, tb in items[i + 1:]:
                    if ta.storage().data_ptr() == tb.storage().data_ptr():
                        shares.append([a, b])
        print(json.dumps({'weights_only': wo, 'error': err, 'value': enc(obj), 'shares': shares}))
    elif mode == 'net':
        spec_in = json.load(open(sys.argv[3]))
        net = Net()
        net.load_state_dict(torch.load(path, weights_only=True))
        net.eval()
        with torch.no_grad():
            out = net(torch.tensor(spec_in['input']).reshape(spec_in['shape']))
        print(json.dumps(out.reshape(-1).tolist()))


main()
