// Every op and gradient against PyTorch 1.13, from committed fixtures (no Python needed).
import { describe, it, expect } from 'vitest';
import * as torch from '../ts/index.js';
import type { Tensor } from '../ts/index.js';
import { loadFixtures, buildArg, invoke, expectValue, expectTensorClose, toTensor, tolerance, type TensorJSON } from './helpers/fixtures.js';

const JS_INTEGRAL_FLOATS = new Set(['full/empty', 'tensor/3d']);
const F: Record<string, any> = (torch as any).nn?.functional ?? torch;

for (const family of ['core_creation', 'core_pointwise', 'core_reduce', 'core_linalg', 'core_views', 'core_index']) {
  describe(family, () => {
    for (const c of loadFixtures(family)) {
      if (JS_INTEGRAL_FLOATS.has(c.id)) {
        // JS cannot tell 1.0 from 1: integral literals infer int32 (README, "Differences from PyTorch")
        it(`${c.id} (integral JS numbers infer int32)`, () => {
          const out = invoke(c, c.args.map(buildArg).map((b) => b.value), F) as Tensor;
          const want = (c.out as { tensor: TensorJSON }).tensor;
          expectTensorClose(out.to('float32'), { ...want, dtype: 'float32' }, 'out');
          expect(out.dtype).toBe('int32');
        });
        continue;
      }
      it(c.id, () => {
        const built = c.args.map(buildArg);
        const out = invoke(c, built.map((b) => b.value), F);
        expectValue(out, c.out, 'out');
        if (!c.grad_out || !c.grads) return;
        const y = (c.grad_of !== undefined ? (out as Tensor[])[c.grad_of] : out) as Tensor;
        y.backward(toTensor(c.grad_out));
        // a gradient computed through a float32 output is only float32-accurate, whatever its dtype
        const tol = y.dtype === 'float32' ? tolerance('float32') : undefined;
        c.grads.forEach((g, i) => {
          const leaf = built[i].leaf;
          if (g === null) return;
          if (Array.isArray(g)) {
            (g as (TensorJSON | null)[]).forEach((gi, j) => {
              if (gi) expectTensorClose((leaf as Tensor[])[j].grad, gi, `grad[${i}][${j}]`, tol);
            });
            return;
          }
          expect(leaf, `arg ${i} has a leaf`).toBeTruthy();
          expectTensorClose((leaf as Tensor).grad, g as TensorJSON, `grad[${i}]`, tol);
        });
      });
    }
  });
}
