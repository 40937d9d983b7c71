// Lets a class be called without `new`, as Python code does (`optim.SGD(params, {...})`):
// a Proxy whose call trap constructs. `new`, `instanceof` and `extends` behave as for the class.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Callable<C extends abstract new (...args: any) => any> = C & ((...args: ConstructorParameters<C>) => InstanceType<C>);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function callable<C extends new (...args: any) => any>(cls: C): Callable<C> {
  return new Proxy(cls, {
    apply(target, _this, args) { return new target(...args); },
  }) as Callable<C>;
}
