// A short demo: fit y = 3x - 1 + noise with autograd and plain SGD updates.
// Run with `npm run demo` after `npm install`.
import * as torch from '../dist/webtorch.js';

torch.manual_seed(0);
const x = torch.randn([256, 1]);
const y = x.mul(3).sub(1).add(torch.randn([256, 1]).mul(0.1));
const w = torch.zeros([1, 1], { requires_grad: true });
const b = torch.zeros([1], { requires_grad: true });
console.log(`webtorch ${torch.__version__}`);
for (let step = 0; step <= 200; step++) {
  const loss = x.matmul(w).add(b).sub(y).pow(2).mean();
  loss.backward();
  torch.no_grad(() => {
    w.sub_(w.grad.mul(0.1));
    b.sub_(b.grad.mul(0.1));
  });
  w.grad = null;
  b.grad = null;
  if (step % 50 === 0) console.log(`step ${step}\tloss ${(await loss.item()).toFixed(5)}`);
}
console.log(`w = ${(await w.item()).toFixed(3)} (true 3), b = ${(await b.item()).toFixed(3)} (true -1)`);
