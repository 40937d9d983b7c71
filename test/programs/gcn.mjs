// pytorch/examples gcn/main.py, ported line by line: a two-layer graph convolutional network
// (Kipf & Welling) on a sparse normalised adjacency matrix, with its defaults (200 epochs, lr 0.01,
// weight decay 5e-4, dropout 0.5, hidden 16, no bias). Cora cannot be downloaded here: the graph is
// common.mjs's synthetic citation graph (300 nodes, 4 classes, 100 words), the split test 100 /
// val 50 / train 150 (Cora's 1000 / 500 / 1208, scaled).
import * as torch from '../../ts/index.js';
import { citation_graph } from './common.mjs';
const nn = torch.nn, F = torch.nn.functional;
const { Adam } = torch.optim;

/** Graph Convolutional Layer: H' = f(D^(-1/2) * A * D^(-1/2) * H * W) */
class GraphConv extends nn.Module {
  constructor(input_dim, output_dim, use_bias = false) {
    super();
    this.kernel = new nn.Parameter(torch.empty(input_dim, output_dim));
    nn.init.xavier_normal_(this.kernel); // Initialize the weights using Xavier initialization
    this.bias = null;
    if (use_bias) {
      this.bias = new nn.Parameter(torch.empty(output_dim));
      nn.init.zeros_(this.bias); // Initialize the bias to zeros
    }
  }

  forward(input_tensor, adj_mat) {
    const support = torch.mm(input_tensor, this.kernel); // Matrix multiplication between input and weight matrix
    let output = torch.spmm(adj_mat, support); // Sparse matrix multiplication between adjacency matrix and support
    if (this.bias !== null) output = output.add(this.bias);
    return output;
  }
}

/** Graph Convolutional Network: two graph convolutions, ReLU and dropout between, log-softmax out. */
class GCN extends nn.Module {
  constructor(input_dim, hidden_dim, output_dim, use_bias = true, dropout_p = 0.1) {
    super();
    this.gc1 = new GraphConv(input_dim, hidden_dim, use_bias);
    this.gc2 = new GraphConv(hidden_dim, output_dim, use_bias);
    this.dropout = new nn.Dropout(dropout_p);
  }

  forward(input_tensor, adj_mat) {
    let x = this.gc1.call(input_tensor, adj_mat);
    x = F.relu(x); // Apply ReLU activation function
    x = this.dropout.call(x); // Apply dropout regularization
    x = this.gc2.call(x, adj_mat);
    return F.log_softmax(x, { dim: 1 });
  }
}

/** load_cora on the synthetic graph: row-normalised features, renormalised adjacency D^-1/2 (A + I) D^-1/2 */
export function load_graph(graph_seed = 7, device = 'cpu') {
  const [content_tensor, cites_tensor] = citation_graph(graph_seed);
  let features = torch.tensor(content_tensor.map((r) => r.slice(1, -1)), { dtype: 'float32' }); // Extract feature values
  let scale_vector = torch.sum(features, { dim: 1 }); // Compute sum of features for each node
  scale_vector = scale_vector.reciprocal(); // Compute reciprocal of the sums
  scale_vector.index_put_([scale_vector.eq(Infinity)], 0); // Handle division by zero cases
  scale_vector = torch.diag(scale_vector).to_sparse(); // Convert the scale vector to a sparse diagonal matrix
  features = scale_vector.matmul(features); // Scale the features using the scale vector
  const [classes, labels] = torch.unique(torch.tensor(content_tensor.map((r) => r.at(-1))), { return_inverse: true }); // Extract unique classes and map labels to indices
  const idx = content_tensor.map((r) => r[0]); // Extract node indices
  const idx_map = new Map(idx.map((id, pos) => [id, pos])); // Create a dictionary to map indices to positions
  const edges = torch.tensor(cites_tensor.map((edge) => [idx_map.get(edge[0]), idx_map.get(edge[1])]));
  const V = idx.length; // Number of nodes
  const E = edges.shape[0]; // Number of edges
  let adj_mat = torch.sparse_coo_tensor(edges.T, torch.ones(E), [V, V], { dtype: 'int64' }); // Create the initial adjacency matrix as a sparse tensor
  adj_mat = torch.eye(V).add(adj_mat.to_dense()); // Add self-loops (Python's dense + sparse, written with to_dense)
  let degree_mat = torch.sum(adj_mat, { dim: 1 }); // Compute the sum of each row in the adjacency matrix (degree matrix)
  degree_mat = torch.sqrt(degree_mat.reciprocal()); // Compute the reciprocal square root of the degrees
  degree_mat.index_put_([degree_mat.eq(Infinity)], 0); // Handle division by zero cases
  degree_mat = torch.diag(degree_mat).to_sparse(); // Convert the degree matrix to a sparse diagonal matrix
  // Apply the renormalization trick (PyTorch 1.13 has no dense @ sparse: the last factor is dense in the twin too)
  adj_mat = degree_mat.matmul(adj_mat).matmul(degree_mat.to_dense());
  return [features.to_sparse().to(device), labels.to(device), adj_mat.to_sparse().to(device), classes];
}

function test(model, criterion, input, target, mask) {
  model.eval();
  return torch.no_grad(() => {
    let output = model.call(...input);
    [output, target] = [output.index(mask), target.index(mask)];
    const loss = criterion.call(output, target);
    const acc = output.argmax({ dim: 1 }).eq(target).float().sum().div(target.shape[0]);
    return [loss.itemSync(), acc.itemSync()];
  });
}

function train_iter(epoch, model, optimizer, criterion, input, target, mask_train, mask_val, print_every, log) {
  const start_t = performance.now();
  model.train();
  optimizer.zero_grad();
  const output = model.call(...input);
  const loss = criterion.call(output.index(mask_train), target.index(mask_train)); // Compute the loss using the training mask
  loss.backward();
  optimizer.step();
  const [loss_train, acc_train] = test(model, criterion, input, target, mask_train);
  const [loss_val, acc_val] = test(model, criterion, input, target, mask_val);
  if (epoch % print_every === 0) log(`Epoch: ${String(epoch).padStart(4, '0')} (${((performance.now() - start_t) / 1000).toFixed(4)}s) loss_train: ${loss_train.toFixed(4)} acc_train: ${acc_train.toFixed(4)} loss_val: ${loss_val.toFixed(4)} acc_val: ${acc_val.toFixed(4)}`);
  return { epoch, loss_train, acc_train, loss_val, acc_val };
}

export function main({ epochs = 200, lr = 0.01, l2 = 5e-4, dropout_p = 0.5, hidden_dim = 16, val_every = 20, include_bias = false, seed = 42, log = console.log } = {}) {
  torch.manual_seed(seed);
  const device = torch.device('cpu');
  const [features, labels, adj_mat] = load_graph(7, device);
  const idx = torch.randperm(labels.shape[0]).to(device);
  const [idx_test, idx_val, idx_train] = [idx.index(':100'), idx.index('100:150'), idx.index('150:')];
  const gcn = new GCN(features.shape[1], hidden_dim, labels.max().itemSync() + 1, include_bias, dropout_p).to(device);
  const optimizer = new Adam(gcn.parameters(), { lr, weight_decay: l2 });
  const criterion = new nn.NLLLoss();
  const history = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    history.push(train_iter(epoch + 1, gcn, optimizer, criterion, [features, adj_mat], labels, idx_train, idx_val, val_every, log));
  }
  const [loss_test, acc_test] = test(gcn, criterion, [features, adj_mat], labels, idx_test);
  log(`Test set results: loss ${loss_test.toFixed(4)} accuracy ${acc_test.toFixed(4)}`);
  return { history, loss_test, acc_test };
}
