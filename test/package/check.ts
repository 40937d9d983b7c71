// Type-checked in a fresh project against the installed package's types (pack.mjs), with
// skipLibCheck off: the API a user writes against, PyTorch-style.
import * as torch from 'webtorch';
import { nn, optim, Tensor } from 'webtorch';
import type { DType } from 'webtorch';

class Net extends nn.Module {
  fc1 = new nn.Linear(4, 8);
  fc2 = new nn.Linear(8, 2);
  forward(x: Tensor): Tensor {
    return this.fc2.call(torch.relu(this.fc1.call(x)));
  }
}

export async function main(): Promise<string> {
  torch.manual_seed(0);
  const model = new Net();
  const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
  const x = torch.randn([16, 4]);
  const y = torch.randint(0, 2, [16]);
  opt.zero_grad();
  const loss = nn.functional.cross_entropy(model.call(x), y);
  loss.backward();
  opt.step();
  const dtype: DType = x.dtype;
  const s: number = await x.sum().item();
  const b: boolean = await x.gt(0).any().item<boolean>();
  const z = x.add(1).mul(torch.ones(4)).sum(1, true);
  z[Symbol.dispose]();
  console.log(torch.cuda.is_available(), dtype, s.toFixed(2), b, z.is_disposed);
  return (await loss.item()).toFixed(6);
}
