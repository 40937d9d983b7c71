// Tensor methods are installed by the modules that implement them (the op modules, autograd,
// format), so ts/tensor.ts imports none of them. Each such module calls installMethods with its
// methods written as functions of the tensor, and declares their types beside the call:
//
//   declare module '../tensor.js' { interface Tensor { exp(): Tensor } }
//   installMethods({ exp: (x) => exp(x) });
//
// The method table is checked against those declarations (an undeclared method does not compile),
// and installing a name twice throws. ts/index.ts imports every installing module, so the methods
// exist before user code runs.
import { Tensor } from '../tensor.js';
import { named } from '../shape.js';
import { bind } from './signature.js';

type Fn = (...args: any[]) => any;
/** A method `name(...args)` written as a function of the tensor: `(self, ...args) => ...` */
type Impl<F> = F extends (...args: infer A) => infer R ? (self: Tensor, ...args: A) => R : never;
/** A getter (Tensor.T, Tensor.mT). */
export interface Getter<V> { get(self: Tensor): V }
export type MethodTable = { [K in keyof Tensor]?: Tensor[K] extends Fn ? Impl<Tensor[K]> : Getter<Tensor[K]> };
/**
 * The in-place forms `name_` of methods `K` of T, for declaring derived in-place methods: each
 * takes the arguments of `name` and returns the tensor it was called on.
 */
export type InplaceMethods<T, K extends keyof T & string> = {
  [P in K as `${P}_`]: T[P] extends (...args: infer A) => Tensor ? <S extends Tensor>(this: S, ...args: A) => S : never;
};
/** Methods `name` whose in-place form `name_` is declared. */
export type InplaceName = { [K in keyof Tensor & string]: `${K}_` extends keyof Tensor ? K : never }[keyof Tensor & string];

function define(key: PropertyKey, d: PropertyDescriptor): void {
  if (Object.prototype.hasOwnProperty.call(Tensor.prototype, key)) throw new Error(`Tensor.${String(key)} is installed twice`);
  Object.defineProperty(Tensor.prototype, key, { configurable: true, enumerable: false, ...d });
}

/** Installs methods (and getters) on Tensor.prototype; arguments given by name are bound to PyTorch's positions (./signature.ts). */
export function installMethods(methods: MethodTable): void {
  for (const key of Reflect.ownKeys(methods)) {
    const m = (methods as Record<PropertyKey, Fn | Getter<unknown>>)[key];
    if (typeof m === 'function') {
      const name = String(key);
      define(key, { writable: true, value: function method(this: Tensor, ...args: unknown[]) { return m(this, ...bind(name, args)); } });
    } else {
      const get = m.get;
      define(key, { get: function getter(this: Tensor) { return get(this); } });
    }
  }
}

/**
 * Installs the in-place form `name_` of each method `name`: `x.name_(...args)` is
 * `inplace(x, x.name(...args))`, the op module's check-write-rebase of an in-place op.
 */
export function installInplace(names: readonly InplaceName[], inplace: (self: Tensor, result: Tensor) => Tensor): void {
  for (const name of names) {
    define(`${name}_`, {
      writable: true,
      value: function method(this: Tensor, ...args: unknown[]) {
        return named(`${name}_`, () => inplace(this, (this as unknown as Record<string, Fn>)[name](...bind(`${name}_`, args))));
      },
    });
  }
}
