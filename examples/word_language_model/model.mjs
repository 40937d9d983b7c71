// A port of pytorch/examples word_language_model/model.py: RNNModel (an embedding, a recurrent
// net and a decoder) and TransformerModel (an embedding, PositionalEncoding, a causal
// nn.TransformerEncoder and a decoder). The classes are made for one `torch` module (the built
// package in main.mjs, the sources in the tests): `const { RNNModel } = models(torch)`.

export function models(torch) {
  const { nn } = torch;
  const F = nn.functional;

  /** Container module with an encoder, a recurrent module, and a decoder. */
  class RNNModel extends nn.Module {
    constructor(rnn_type, ntoken, ninp, nhid, nlayers, dropout = 0.5, tie_weights = false) {
      super();
      this.ntoken = ntoken;
      this.drop = new nn.Dropout(dropout);
      this.encoder = new nn.Embedding(ntoken, ninp);
      if (rnn_type === 'LSTM' || rnn_type === 'GRU') {
        this.rnn = new nn[rnn_type](ninp, nhid, nlayers, { dropout });
      } else {
        const nonlinearity = { RNN_TANH: 'tanh', RNN_RELU: 'relu' }[rnn_type];
        if (nonlinearity === undefined)
          throw new RangeError(`An invalid option for \`--model\` was supplied (${rnn_type}), options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']`);
        this.rnn = new nn.RNN(ninp, nhid, nlayers, { nonlinearity, dropout });
      }
      this.decoder = new nn.Linear(nhid, ntoken);

      // Optionally tie weights as in:
      // "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016)
      // https://arxiv.org/abs/1608.05859
      // and
      // "Tying Word Vectors and Word Classifiers: A Loss Framework for Language Modeling" (Inan et al. 2016)
      // https://arxiv.org/abs/1611.01462
      if (tie_weights) {
        if (nhid !== ninp) throw new RangeError('When using the tied flag, nhid must be equal to emsize');
        this.decoder.weight = this.encoder.weight;
      }

      this.init_weights();

      this.rnn_type = rnn_type;
      this.nhid = nhid;
      this.nlayers = nlayers;
    }

    init_weights() {
      const initrange = 0.1;
      nn.init.uniform_(this.encoder.weight, -initrange, initrange);
      nn.init.zeros_(this.decoder.bias);
      nn.init.uniform_(this.decoder.weight, -initrange, initrange);
    }

    forward(input, hidden) {
      const emb = this.drop.call(this.encoder.call(input));
      let [output, h] = this.rnn.call(emb, hidden);
      output = this.drop.call(output);
      let decoded = this.decoder.call(output);
      decoded = decoded.view(-1, this.ntoken);
      return [F.log_softmax(decoded, { dim: 1 }), h];
    }

    init_hidden(bsz) {
      const weight = this.parameters()[0];
      if (this.rnn_type === 'LSTM')
        return [weight.new_zeros(this.nlayers, bsz, this.nhid), weight.new_zeros(this.nlayers, bsz, this.nhid)];
      return weight.new_zeros(this.nlayers, bsz, this.nhid);
    }
  }

  /**
   * Injects information about the position of the tokens in the sequence: sines and cosines of
   * different frequencies, PosEncoder(pos, 2i) = sin(pos/10000^(2i/d_model)),
   * PosEncoder(pos, 2i+1) = cos(pos/10000^(2i/d_model)), added to the embeddings. x is
   * [sequence length, batch size, embed dim].
   */
  class PositionalEncoding extends nn.Module {
    constructor(d_model, dropout = 0.1, max_len = 5000) {
      super();
      this.dropout = new nn.Dropout({ p: dropout });

      const position = torch.arange(0, max_len, { dtype: torch.float32 }).unsqueeze(1);
      const div_term = torch.exp(torch.arange(0, d_model, 2).float().mul(-Math.log(10000.0) / d_model));
      // pe[:, 0::2] = sin(position * div_term); pe[:, 1::2] = cos(position * div_term)
      const angle = position.mul(div_term);
      let pe = torch.stack([torch.sin(angle), torch.cos(angle)], 2).view(max_len, -1).narrow(1, 0, d_model);
      pe = pe.unsqueeze(0).transpose(0, 1).contiguous();
      this.register_buffer('pe', pe);
    }

    forward(x) {
      x = x.add(this.pe.narrow(0, 0, x.size(0)));
      return this.dropout.call(x);
    }
  }

  /**
   * Container module with an encoder, a transformer module, and a decoder. The original extends
   * nn.Transformer and uses only its encoder (nlayers TransformerEncoderLayers with dropout 0.1,
   * then a LayerNorm); this builds that encoder alone, without the unused decoder.
   */
  class TransformerModel extends nn.Module {
    constructor(ntoken, ninp, nhead, nhid, nlayers, dropout = 0.5) {
      super();
      if (!nn.TransformerEncoder || !nn.TransformerEncoderLayer)
        throw new Error('--model Transformer needs nn.TransformerEncoder and nn.TransformerEncoderLayer, which this build of webtorch lacks');
      this.model_type = 'Transformer';
      this.src_mask = null;
      this.pos_encoder = new PositionalEncoding(ninp, dropout);
      this.encoder = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(ninp, nhead, nhid, 0.1), nlayers, new nn.LayerNorm(ninp));

      this.input_emb = new nn.Embedding(ntoken, ninp);
      this.ninp = ninp;
      this.decoder = new nn.Linear(ninp, ntoken);

      this.init_weights();
    }

    _generate_square_subsequent_mask(sz) {
      return torch.log(torch.tril(torch.ones(sz, sz)));
    }

    init_weights() {
      const initrange = 0.1;
      nn.init.uniform_(this.input_emb.weight, -initrange, initrange);
      nn.init.zeros_(this.decoder.bias);
      nn.init.uniform_(this.decoder.weight, -initrange, initrange);
    }

    forward(src, has_mask = true) {
      if (has_mask) {
        if (this.src_mask === null || this.src_mask.size(0) !== src.size(0))
          this.src_mask = this._generate_square_subsequent_mask(src.size(0)).to(src.device);
      } else {
        this.src_mask = null;
      }
      src = this.input_emb.call(src).mul(Math.sqrt(this.ninp));
      src = this.pos_encoder.call(src);
      let output = this.encoder.call(src, { mask: this.src_mask });
      output = this.decoder.call(output);
      return F.log_softmax(output, { dim: -1 });
    }
  }

  return { RNNModel, PositionalEncoding, TransformerModel };
}
