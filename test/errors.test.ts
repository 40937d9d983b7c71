// Bad input gets a clear error naming the op and the offending shapes or values, never a wasm
// trap or a silent wrong answer.
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';

const x23 = () => torch.randn([2, 3]);

describe('bad input errors', () => {
  it('creation', () => {
    expect(() => torch.tensor([[1, 2], [3]])).toThrow(/expected sequence of length 2 at dim 1 \(got 1\)/);
    expect(() => torch.tensor(['a'] as never)).toThrow(/could not infer dtype/);
    expect(() => torch.zeros([2, -1])).toThrow(/negative dimension -1/);
    expect(() => torch.ones([2.5])).toThrow(/size must be a list of integers/);
    expect(() => torch.arange(0, 10, 0)).toThrow(/step must be nonzero/);
    expect(() => torch.arange(5, 0, 1)).toThrow(/inconsistent with step sign/);
    expect(() => torch.randint(5, 5, [2])).toThrow(/from=5 >= to=5/);
    expect(() => torch.zeros([2], { dtype: 'complex64' as never })).toThrow(/unsupported dtype complex64/);
    expect(() => torch.rand([2], { dtype: 'int32' })).toThrow(/expected a floating point dtype/);
    expect(() => torch.zeros([2], { device: 'cuda' })).toThrow(/zeros: Torch not compiled with CUDA enabled/);
  });

  it('pointwise: broadcasting, operand types, integer division by zero, in-place casts', () => {
    expect(() => torch.add(torch.ones([2, 3]), torch.ones([4]))).toThrow(/add: The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 0 \(shapes \[2, 3\] and \[4\]\)/);
    expect(() => torch.mul(x23(), 'a' as never)).toThrow(/mul\(\): argument 'other' must be Tensor or Number, not string/);
    expect(() => torch.exp(null as never)).toThrow(/exp\(\): argument 'input' \(position 1\) must be Tensor, not NoneType/); // PyTorch's words
    expect(() => torch.div(torch.tensor([1, 2]), torch.tensor([1, 0]), { rounding_mode: 'floor' })).toThrow(/ZeroDivisionError/);
    expect(() => torch.div(torch.tensor([1]), 2, { rounding_mode: 'round' as never })).toThrow(/rounding_mode to be one of None, 'trunc', or 'floor'/);
    expect(() => torch.tensor([1, 2]).add_(0.5)).toThrow(/result type Float can't be cast to the desired output type Int/);
    expect(() => torch.ones([3]).add_(torch.ones([2, 3]))).toThrow(/output with shape \[3\] doesn't match the broadcast shape \[2, 3\]/);
    expect(() => torch.sub(torch.tensor([true]), torch.tensor([true]))).toThrow(/Subtraction, the `-` operator, with a bool tensor is not supported/);
    expect(() => torch.pow(torch.tensor([2]), -1)).toThrow(/Integers to negative integer powers are not allowed/);
    expect(() => torch.clamp(x23())).toThrow(/At least one of 'min' or 'max' must not be None/);
    expect(() => torch.where(torch.ones([2]), torch.ones([2]), 0)).toThrow(/where expected condition to be a boolean tensor/);
    expect(() => x23().masked_fill(torch.ones([2, 3]), 0)).toThrow(/only supports boolean masks/);
  });

  it('reductions', () => {
    expect(() => x23().sum(2)).toThrow(/sum: Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/);
    expect(() => x23().sum([0, 0])).toThrow(/dim 0 appears multiple times/);
    expect(() => torch.tensor([1, 2]).mean()).toThrow(/mean\(\): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Int/);
    expect(() => torch.zeros([0, 3]).max(0)).toThrow(/max\(\): Expected reduction dim 0 to have non-zero size/);
    expect(() => torch.zeros([0]).max()).toThrow(/Expected reduction dim to be specified for input.numel\(\) == 0/);
    expect(() => torch.zeros([0]).argmax()).toThrow(/argmax\(\)/);
    expect(() => torch.tensor([1, 2]).var()).toThrow(/std and var only support floating point/);
    expect(() => x23().cumsum(5)).toThrow(/cumsum: Dimension out of range/);
  });

  it('views and shapes', () => {
    expect(() => x23().view(4, 2)).toThrow(/shape '\[4, 2\]' is invalid for input of size 6/);
    expect(() => x23().view(-1, -1)).toThrow(/only one dimension can be inferred/);
    expect(() => x23().t().view(6)).toThrow(/view size is not compatible with input tensor's size and stride.*Use \.reshape/);
    expect(() => x23().permute(0)).toThrow(/input.dim\(\) = 2 is not equal to len\(dims\) = 1/);
    expect(() => x23().permute(0, 0)).toThrow(/duplicate dims/);
    expect(() => x23().expand(3, 3)).toThrow(/The expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 0/);
    expect(() => x23().narrow(1, 2, 2)).toThrow(/start \(2\) \+ length \(2\) exceeds dimension size \(3\)/);
    expect(() => x23().select(0, 2)).toThrow(/select\(\): index 2 out of range for tensor of size \[2, 3\] at dimension 0/);
    expect(() => x23().index(0, 0, 0)).toThrow(/too many indices for tensor of dimension 2/);
    expect(() => x23().index(5)).toThrow(/index 5 is out of bounds for dimension 0 with size 2/);
    expect(() => torch.randn([2, 2, 2]).t()).toThrow(/t\(\) expects a tensor with <= 2 dimensions, but self is 3D/);
    expect(() => x23().unflatten(1, [2, 2])).toThrow(/don't multiply up to the size of dim 1 \(3\)/);
  });

  it('linear algebra', () => {
    expect(() => torch.mm(torch.ones([2, 3]), torch.ones([4, 5]))).toThrow(/mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)/);
    expect(() => torch.matmul(torch.ones([2, 3]), torch.ones([2]))).toThrow(/shapes cannot be multiplied/);
    expect(() => torch.matmul(torch.ones([]), torch.ones([2]))).toThrow(/both arguments to matmul need to be at least 1D, but they are 0D and 1D/);
    expect(() => torch.bmm(torch.ones([2, 3, 4]), torch.ones([3, 4, 5]))).toThrow(/Expected size for first two dimensions of batch2 tensor to be: \[2, 4\] but got: \[3, 4\]/);
    expect(() => torch.dot(torch.ones([3]), torch.ones([4]))).toThrow(/inconsistent tensor size, expected tensor \[3\] and src \[4\]/);
    expect(() => torch.mm(torch.ones([2, 2]), torch.ones([2, 2], { dtype: 'float64' }))).toThrow(/expected m1 and m2 to have the same dtype, but got: float32 != float64/);
    expect(() => torch.matmul(torch.ones([2, 2, 3]), torch.ones([3, 3, 2]))).toThrow(/matmul: The size of tensor a \(2\) must match the size of tensor b \(3\)/);
  });

  it('joining and indexing, with index values checked in the kernel', () => {
    const x = x23();
    expect(() => torch.cat([x, torch.ones([2, 4])], 0)).toThrow(/Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1/);
    expect(() => torch.cat([])).toThrow(/expected a non-empty list of Tensors/);
    expect(() => torch.stack([x, torch.ones([3, 2])])).toThrow(/stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 and \[3, 2\] at entry 1/);
    expect(() => x.split([1, 1], 1)).toThrow(/split_with_sizes expects split_sizes to sum exactly to 3/);
    expect(() => x.chunk(0)).toThrow(/chunk expects `chunks` to be greater than 0/);
    expect(() => x.index_select(1, torch.tensor([0, 3]))).toThrow(/index_select\(\): index 3 is out of bounds for dimension 1 with size 3/);
    expect(() => x.gather(1, torch.tensor([[0, 5]]))).toThrow(/gather\(\): index 5 is out of bounds for dimension 1 with size 3/);
    expect(() => x.gather(1, torch.tensor([[-1, 0]]))).toThrow(/index -1 is out of bounds/);
    expect(() => x.gather(1, torch.tensor([0, 1]))).toThrow(/Index tensor must have the same number of dimensions as input tensor/);
    expect(() => x.gather(1, torch.tensor([[0.5]]))).toThrow(/Expected dtype int64 for index/);
    expect(() => x.scatter_add(0, torch.tensor([[2, 0, 0]]), torch.ones([1, 3]))).toThrow(/scatter_add\(\): index 2 is out of bounds for dimension 0 with size 2/);
    expect(() => torch.one_hot(torch.tensor([0, 3]), 3)).toThrow(/Class values must be smaller than num_classes/);
    expect(() => x.repeat(2)).toThrow(/Number of dimensions of repeat dims can not be smaller/);
    expect(() => torch.tril(torch.ones([3]))).toThrow(/tril: input tensor must have at least 2 dimensions/);
    // nothing was corrupted by the failed calls
    expect(x.index_select(1, torch.tensor([2, 0])).shape).toEqual([2, 2]);
  });

  it('reading values', () => {
    expect(() => x23().itemSync()).toThrow(/a Tensor with 6 elements cannot be converted to Scalar/);
    expect(() => x23().size(3)).toThrow(/size: Dimension out of range/);
  });
});
