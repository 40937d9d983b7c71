// `t.data`: PyTorch's `.data` and webtorch's value reader under one name.
//
// In PyTorch, `t.data` is a tensor that shares t's storage and is cut from the graph
// (`m.bias.data.fill_(0.01)`, `p.data.add_(p.grad.data, { alpha: -lr })`). In webtorch,
// `await t.data()` reads the values back as a typed array on every device. Both hold: `t.data`
// is a detached view of t that can also be called. It is a Proxy around a small function: calling
// it reads the values; everything else (methods, shape, dtype, instanceof Tensor, dispose) goes to
// the view. The one visible trace is `typeof t.data === 'function'`.
//
// This file knows nothing of Tensor beyond "an object": tensor.ts hands in how to make the view
// and the reader. The view is made on first use, so `await t.data()` makes no tensor.

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A detached view that is also the reader: `d.fill_(0)` and `await d()` both work. */
export function callableView<V extends object, R>(makeView: () => V, read: () => R): V & (() => R) {
  let made: V | null = null;
  const v = (): V => (made ??= makeView());
  // An arrow function has no `prototype` and only configurable own keys, so every trap below
  // may answer for the view without breaking a Proxy invariant.
  const target = (() => read()) as unknown as Record<PropertyKey, unknown>;
  // Node's util.inspect looks at a proxy's target, not through the traps: print the view.
  target[INSPECT] = (...args: unknown[]) => {
    const custom = (v() as Record<PropertyKey, unknown>)[INSPECT];
    return typeof custom === 'function' ? custom.apply(v(), args) : String(v());
  };
  return new Proxy(target, {
    apply: () => read(),
    get: (_t, key) => Reflect.get(v(), key),
    set: (_t, key, value) => Reflect.set(v(), key, value),
    has: (_t, key) => Reflect.has(v(), key),
    deleteProperty: (_t, key) => Reflect.deleteProperty(v(), key),
    defineProperty: (_t, key, desc) => Reflect.defineProperty(v(), key, desc),
    ownKeys: () => Reflect.ownKeys(v()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(v(), key);
      return d && { ...d, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(v()),
    setPrototypeOf: () => false,
  }) as unknown as V & (() => R);
}
