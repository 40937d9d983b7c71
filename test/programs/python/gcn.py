# PyTorch twin of test/programs/gcn.mjs: pytorch/examples gcn/main.py as written (its defaults:
# 200 epochs, lr 0.01, weight decay 5e-4, dropout 0.5, hidden 16, no bias) on common's synthetic
# citation graph instead of Cora (no network): 300 nodes, 4 classes, 100 words; split test 100 /
# val 50 / train 150 (Cora's 1000 / 500 / 1208, scaled). PyTorch 1.13 has no dense @ sparse
# product, so the renormalisation's last factor is degree_mat.to_dense(). Several seeds; records
# the losses and accuracies.
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
from torch.optim import Adam
from common import citation_graph, write_fixture

epochs, lr, l2, dropout_p, hidden_dim, include_bias = 200, 0.01, 5e-4, 0.5, 16, False
GRAPH_SEED = 7


class GraphConv(nn.Module):
    def __init__(self, input_dim, output_dim, use_bias=False):
        super(GraphConv, self).__init__()
        self.kernel = nn.Parameter(torch.Tensor(input_dim, output_dim))
        nn.init.xavier_normal_(self.kernel)
        self.bias = None
        if use_bias:
            self.bias = nn.Parameter(torch.Tensor(output_dim))
            nn.init.zeros_(self.bias)

    def forward(self, input_tensor, adj_mat):
        support = torch.mm(input_tensor, self.kernel)
        output = torch.spmm(adj_mat, support)
        if self.bias is not None:
            output = output + self.bias
        return output


class GCN(nn.Module):
    def __init__(self, input_dim, hidden_dim, output_dim, use_bias=True, dropout_p=0.1):
        super(GCN, self).__init__()
        self.gc1 = GraphConv(input_dim, hidden_dim, use_bias=use_bias)
        self.gc2 = GraphConv(hidden_dim, output_dim, use_bias=use_bias)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, input_tensor, adj_mat):
        x = self.gc1(input_tensor, adj_mat)
        x = F.relu(x)
        x = self.dropout(x)
        x = self.gc2(x, adj_mat)
        return F.log_softmax(x, dim=1)


def load_graph(device='cpu'):
    content, cites = citation_graph(GRAPH_SEED)
    content_tensor = np.array(content)
    cites_tensor = np.array(cites, dtype=np.int32)
    features = torch.FloatTensor(content_tensor[:, 1:-1].astype(np.int32))
    scale_vector = torch.sum(features, dim=1)
    scale_vector = 1 / scale_vector
    scale_vector[scale_vector == float('inf')] = 0
    scale_vector = torch.diag(scale_vector).to_sparse()
    features = scale_vector @ features
    classes, labels = np.unique(content_tensor[:, -1], return_inverse=True)
    labels = torch.LongTensor(labels)
    idx = content_tensor[:, 0].astype(np.int32)
    idx_map = {id: pos for pos, id in enumerate(idx)}
    edges = np.array(list(map(lambda edge: [idx_map[edge[0]], idx_map[edge[1]]], cites_tensor)), dtype=np.int32)
    V = len(idx)
    E = edges.shape[0]
    adj_mat = torch.sparse_coo_tensor(edges.T, torch.ones(E), (V, V), dtype=torch.int64)
    adj_mat = torch.eye(V) + adj_mat
    degree_mat = torch.sum(adj_mat, dim=1)
    degree_mat = torch.sqrt(1 / degree_mat)
    degree_mat[degree_mat == float('inf')] = 0
    degree_mat = torch.diag(degree_mat).to_sparse()
    adj_mat = degree_mat @ adj_mat @ degree_mat.to_dense()
    return features.to_sparse().to(device), labels.to(device), adj_mat.to_sparse().to(device)


def test(model, criterion, input, target, mask):
    model.eval()
    with torch.no_grad():
        output = model(*input)
        output, target = output[mask], target[mask]
        loss = criterion(output, target)
        acc = (output.argmax(dim=1) == target).float().sum() / len(target)
    return loss.item(), acc.item()


def run(seed):
    torch.manual_seed(seed)
    features, labels, adj_mat = load_graph()
    idx = torch.randperm(len(labels))
    idx_test, idx_val, idx_train = idx[:100], idx[100:150], idx[150:]
    gcn = GCN(features.shape[1], hidden_dim, labels.max().item() + 1, include_bias, dropout_p)
    optimizer = Adam(gcn.parameters(), lr=lr, weight_decay=l2)
    criterion = nn.NLLLoss()
    log = []
    for epoch in range(epochs):
        gcn.train()
        optimizer.zero_grad()
        output = gcn(features, adj_mat)
        loss = criterion(output[idx_train], labels[idx_train])
        loss.backward()
        optimizer.step()
        loss_train, acc_train = test(gcn, criterion, (features, adj_mat), labels, idx_train)
        loss_val, acc_val = test(gcn, criterion, (features, adj_mat), labels, idx_val)
        if (epoch + 1) % 20 == 0 or epoch == 0:
            log.append({'epoch': epoch + 1, 'loss_train': loss_train, 'acc_train': acc_train, 'loss_val': loss_val, 'acc_val': acc_val})
    loss_test, acc_test = test(gcn, criterion, (features, adj_mat), labels, idx_test)
    return {'seed': seed, 'log': log, 'loss_test': loss_test, 'acc_test': acc_test}


if __name__ == '__main__':
    f, l, a = load_graph()
    graph = {'features_sum': f.to_dense().sum().item(), 'adj_sum': a.to_dense().sum().item(), 'adj_nnz': a._nnz(),
             'labels_sum': l.sum().item()}
    runs = [run(s) for s in (42, 1, 2)]
    for r in runs:
        print(r['seed'], r['log'][0]['loss_train'], r['log'][-1], r['loss_test'], r['acc_test'])
    write_fixture('gcn', {'epochs': epochs, 'graph': graph, 'runs': runs})
