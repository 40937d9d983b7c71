// A character-level GPT in the style of Karpathy's nanoGPT (model.py): token and position
// embeddings, n_layer pre-LayerNorm transformer blocks of causal self-attention and a GELU MLP,
// a final LayerNorm and a language-model head tied to the token embedding. Made for one `torch`
// module: `const { GPT } = gpt(torch)`.

export function gpt(torch) {
  const { nn } = torch;
  const F = nn.functional;

  class CausalSelfAttention extends nn.Module {
    constructor(config) {
      super();
      if (config.n_embd % config.n_head !== 0) throw new RangeError(`n_embd (${config.n_embd}) must be divisible by n_head (${config.n_head})`);
      // key, query, value projections for all heads, in a batch
      this.c_attn = new nn.Linear(config.n_embd, 3 * config.n_embd, { bias: config.bias });
      // output projection
      this.c_proj = new nn.Linear(config.n_embd, config.n_embd, { bias: config.bias });
      this.attn_dropout = new nn.Dropout(config.dropout);
      this.resid_dropout = new nn.Dropout(config.dropout);
      this.n_head = config.n_head;
      this.n_embd = config.n_embd;
      this.dropout = config.dropout;
      // F.scaled_dot_product_attention where this webtorch has it; else the masked softmax below
      this.flash = typeof F.scaled_dot_product_attention === 'function';
      if (!this.flash) {
        // causal mask so that attention is only applied to the left in the input sequence
        const bs = config.block_size;
        this.register_buffer('bias', torch.tril(torch.ones(bs, bs)).view(1, 1, bs, bs), { persistent: false });
      }
    }

    forward(x) {
      const [B, T, C] = x.shape; // batch size, sequence length, embedding dimensionality (n_embd)
      const hs = C / this.n_head;
      // calculate query, key, values for all heads in batch and move head forward to be the batch dim
      let [q, k, v] = this.c_attn.call(x).split(this.n_embd, 2);
      k = k.view(B, T, this.n_head, hs).transpose(1, 2); // (B, nh, T, hs)
      q = q.view(B, T, this.n_head, hs).transpose(1, 2); // (B, nh, T, hs)
      v = v.view(B, T, this.n_head, hs).transpose(1, 2); // (B, nh, T, hs)

      // causal self-attention; Self-attend: (B, nh, T, hs) x (B, nh, hs, T) -> (B, nh, T, T)
      let y;
      if (this.flash) {
        y = F.scaled_dot_product_attention(q, k, v, { attn_mask: null, dropout_p: this.training ? this.dropout : 0, is_causal: true });
      } else {
        let att = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.sqrt(hs));
        att = att.masked_fill(this.bias.narrow(2, 0, T).narrow(3, 0, T).eq(0), -Infinity);
        att = F.softmax(att, { dim: -1 });
        att = this.attn_dropout.call(att);
        y = att.matmul(v); // (B, nh, T, T) x (B, nh, T, hs) -> (B, nh, T, hs)
      }
      y = y.transpose(1, 2).contiguous().view(B, T, C); // re-assemble all head outputs side by side

      // output projection
      return this.resid_dropout.call(this.c_proj.call(y));
    }
  }

  class MLP extends nn.Module {
    constructor(config) {
      super();
      this.c_fc = new nn.Linear(config.n_embd, 4 * config.n_embd, { bias: config.bias });
      this.gelu = new nn.GELU();
      this.c_proj = new nn.Linear(4 * config.n_embd, config.n_embd, { bias: config.bias });
      this.dropout = new nn.Dropout(config.dropout);
    }

    forward(x) {
      return this.dropout.call(this.c_proj.call(this.gelu.call(this.c_fc.call(x))));
    }
  }

  class Block extends nn.Module {
    constructor(config) {
      super();
      this.ln_1 = new nn.LayerNorm(config.n_embd);
      this.attn = new CausalSelfAttention(config);
      this.ln_2 = new nn.LayerNorm(config.n_embd);
      this.mlp = new MLP(config);
    }

    forward(x) {
      x = x.add(this.attn.call(this.ln_1.call(x)));
      return x.add(this.mlp.call(this.ln_2.call(x)));
    }
  }

  class GPT extends nn.Module {
    /** config: { vocab_size, block_size, n_layer, n_head, n_embd, dropout, bias } */
    constructor(config) {
      super();
      this.config = config;
      this.wte = new nn.Embedding(config.vocab_size, config.n_embd);
      this.wpe = new nn.Embedding(config.block_size, config.n_embd);
      this.drop = new nn.Dropout(config.dropout);
      this.h = new nn.ModuleList(Array.from({ length: config.n_layer }, () => new Block(config)));
      this.ln_f = new nn.LayerNorm(config.n_embd);
      this.lm_head = new nn.Linear(config.n_embd, config.vocab_size, { bias: false });
      // weight tying: the token embedding is the output projection (https://paperswithcode.com/method/weight-tying)
      this.lm_head.weight = this.wte.weight;

      // init all weights: N(0, 0.02) for linear and embedding weights, zero biases, and the
      // residual projections scaled by 1/sqrt(2 n_layer), per GPT-2
      for (const m of this.modules()) {
        if (m instanceof nn.Linear) {
          nn.init.normal_(m.weight, 0.0, 0.02);
          if (m.bias) nn.init.zeros_(m.bias);
        } else if (m instanceof nn.Embedding) {
          nn.init.normal_(m.weight, 0.0, 0.02);
        }
      }
      for (const [pn, p] of this.named_parameters())
        if (pn.endsWith('c_proj.weight')) nn.init.normal_(p, 0.0, 0.02 / Math.sqrt(2 * config.n_layer));
    }

    /** The number of parameters, without the position embeddings (as nanoGPT reports it). */
    get_num_params() {
      return this.parameters().reduce((n, p) => n + p.numel(), 0) - this.wpe.weight.numel();
    }

    /** idx: (b, t) token ids; returns [logits (b, t, vocab), loss or null]. */
    forward(idx, targets = null) {
      const [b, t] = idx.shape;
      if (t > this.config.block_size) throw new RangeError(`Cannot forward sequence of length ${t}, block size is only ${this.config.block_size}`);
      const pos = torch.arange(0, t, { device: idx.device }); // shape (t)

      const tok_emb = this.wte.call(idx); // token embeddings of shape (b, t, n_embd)
      const pos_emb = this.wpe.call(pos); // position embeddings of shape (t, n_embd)
      let x = this.drop.call(tok_emb.add(pos_emb));
      for (const block of this.h) x = block.call(x);
      x = this.ln_f.call(x);
      const logits = this.lm_head.call(x);
      const loss = targets === null ? null : F.cross_entropy(logits.view(b * t, -1), targets.view(-1));
      return [logits, loss];
    }

    /**
     * AdamW with weight decay on the 2-D parameters (matmul weights, embeddings) and none on
     * biases and LayerNorm weights, as nanoGPT's configure_optimizers.
     */
    configure_optimizers(weight_decay, learning_rate, betas) {
      const params = this.parameters();
      const decay_params = params.filter((p) => p.dim() >= 2);
      const nodecay_params = params.filter((p) => p.dim() < 2);
      return new torch.optim.AdamW([
        { params: decay_params, weight_decay },
        { params: nodecay_params, weight_decay: 0.0 },
      ], { lr: learning_rate, betas });
    }

    /**
     * Takes a conditioning sequence of indices idx (b, t) and completes it max_new_tokens times,
     * feeding the predictions back into the model each time; each next token is drawn with
     * torch.multinomial from softmax(logits / temperature), cut to the top_k most likely when given.
     * Call under torch.no_grad() and model.eval().
     */
    async generate(idx, max_new_tokens, temperature = 1.0, top_k = null) {
      for (let i = 0; i < max_new_tokens; i++) {
        idx = await torch.scope(async () => {
          // if the sequence context is growing too long we must crop it at block_size
          const t = idx.size(1);
          const idx_cond = t <= this.config.block_size ? idx : idx.narrow(1, t - this.config.block_size, this.config.block_size);
          // forward the model to get the logits for the index in the sequence
          const [out] = this.call(idx_cond);
          // pluck the logits at the final step and scale by desired temperature
          let logits = out.select(1, -1).div(temperature);
          // optionally crop the logits to only the top k options
          if (top_k !== null) {
            const [v] = torch.topk(logits, Math.min(top_k, logits.size(-1)));
            logits = logits.masked_fill(logits.lt(v.narrow(-1, v.size(-1) - 1, 1)), -Infinity);
          }
          // apply softmax to convert logits to (normalized) probabilities
          const probs = F.softmax(logits, { dim: -1 });
          // sample from the distribution
          const idx_next = torch.multinomial(probs, 1);
          // append sampled index to the running sequence and continue
          return torch.cat([idx, idx_next], 1);
        });
      }
      return idx;
    }
  }

  return { GPT, Block, CausalSelfAttention, MLP };
}
