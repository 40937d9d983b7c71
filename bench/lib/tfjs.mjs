// TensorFlow.js reference: @tensorflow/tfjs-core with the wasm backend (XNNPACK, SIMD, no threads in
// Node) and the plain-JS cpu backend. loadTf() returns { tf, backends, note } or { tf: null, note }.
//
// tfjs-backend-wasm has no Conv2DBackpropFilter kernel, so training a conv net on it throws. We
// register one for 'wasm' built from tfjs's own ops (the standard "filter gradient is a convolution
// of the input with the output gradient" identity), so that Conv2D's stock gradient works there.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let cached;

export async function loadTf() {
  if (cached) return cached;
  let tf;
  try {
    // the umbrella package registers the gradient functions (tfjs-core's Node bundle alone has none)
    tf = await import('@tensorflow/tfjs');
  } catch (e) {
    return (cached = { tf: null, note: `@tensorflow/tfjs not installed in bench/ (npm --prefix bench install; ${e.code ?? e.message})` });
  }
  // IS_TEST silences the "install tfjs-node" banner that the cpu backend prints when it is created;
  // it must be off afterwards (under IS_TEST tfjs throws on kernels that leak, e.g. wasm logSoftmax)
  tf.env().set('IS_TEST', true);
  const backends = [];
  const notes = [];
  try {
    await import('@tensorflow/tfjs-backend-cpu');
    if (await tf.setBackend('cpu')) backends.push('cpu');
  } catch (e) { notes.push(`tfjs-backend-cpu: ${e.code ?? e.message}`); }
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(path.join(ROOT, 'bench/node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep);
    if (await tf.setBackend('wasm')) {
      backends.push('wasm');
      registerConv2DBackpropFilter(tf);
    } else notes.push('wasm backend failed to initialize');
  } catch (e) { notes.push(`tfjs-backend-wasm: ${e.code ?? e.message}`); }
  tf.env().set('IS_TEST', false);
  cached = { tf, backends, note: notes.join('; ') };
  return cached;
}

/** Switches backend; returns false if it is not available. */
export async function useBackend(tf, name) {
  if (!(await tf.setBackend(name))) return false;
  await tf.ready();
  return true;
}

export function simdInfo(tf) {
  try { return tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'simd' : 'no-simd'; } catch { return '?'; }
}

function registerConv2DBackpropFilter(tf) {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs;
      const { strides, pad, dataFormat, dilations, filterShape } = attrs;
      const [sh, sw] = Array.isArray(strides) ? strides : [strides, strides];
      const dl = dilations == null ? [1, 1] : (Array.isArray(dilations) ? dilations : [dilations, dilations]);
      if ((dataFormat ?? 'NHWC') !== 'NHWC') throw new Error('Conv2DBackpropFilter(wasm shim): NHWC only');
      if (dl[0] !== 1 || dl[1] !== 1) throw new Error('Conv2DBackpropFilter(wasm shim): dilation 1 only');
      const [kh, kw] = filterShape;
      return tf.tidy(() => {
        const asTensor = (t) => (t instanceof tf.Tensor ? t : tf.engine().makeTensorFromTensorInfo(t));
        let xx = asTensor(x);
        const g = asTensor(dy);
        // explicit padding for 'same' / numeric pads
        const [, H, W] = x.shape;
        const [, OH, OW] = dy.shape;
        if (pad === 'same' || typeof pad === 'number' || Array.isArray(pad)) {
          let pt, pb, pl, pr;
          if (pad === 'same') {
            const ph = Math.max((OH - 1) * sh + kh - H, 0), pw = Math.max((OW - 1) * sw + kw - W, 0);
            pt = ph >> 1; pb = ph - pt; pl = pw >> 1; pr = pw - pl;
          } else if (typeof pad === 'number') { pt = pb = pl = pr = pad; } else {
            [[, ], [pt, pb], [pl, pr]] = pad;
          }
          xx = tf.pad(xx, [[0, 0], [pt, pb], [pl, pr], [0, 0]]);
        }
        // dW[kh,kw,ci,co] = sum_{n,oh,ow} x[n, oh*s+kh, ow*s+kw, ci] dy[n,oh,ow,co]
        //   = conv2d(x^T as [ci, H, W, n], dy^T as filter [OH, OW, n, co], dilation = stride)
        const xt = tf.transpose(xx, [3, 1, 2, 0]);
        const gt = tf.transpose(g, [1, 2, 0, 3]);
        let dw = tf.conv2d(xt, gt, 1, 'valid', 'NHWC', [sh, sw]); // [ci, kh', kw', co]
        dw = tf.slice(dw, [0, 0, 0, 0], [-1, kh, kw, -1]);
        return tf.transpose(dw, [1, 2, 0, 3]);
      });
    },
  });
}
