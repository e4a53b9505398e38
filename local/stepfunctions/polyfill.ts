/**
 * `Promise.withResolvers` for Node 20 (it arrived in Node 22). aws-local-stepfunctions calls it
 * in every Task state; without it each Task fails with a TypeError, and a Catch on States.ALL
 * swallows that silently. Import this module before aws-local-stepfunctions (bridge.ts does).
 */
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type WithResolvers = <T>() => Resolvers<T>;

const PromiseCtor = Promise as unknown as PromiseConstructor & { withResolvers?: WithResolvers };

if (typeof PromiseCtor.withResolvers !== 'function') {
  Object.defineProperty(PromiseCtor, 'withResolvers', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function withResolvers<T>(this: PromiseConstructor): Resolvers<T> {
      let resolve!: Resolvers<T>['resolve'];
      let reject!: Resolvers<T>['reject'];
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
