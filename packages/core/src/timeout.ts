/**
 * Settles as `promise` does, unless it takes longer than `ms`: then settles with what `onTimeout` returns (or
 * rejects with what it throws), or without `onTimeout` rejects with "no answer within <ms> ms". The timer is cleared
 * as soon as either side settles and never keeps the process alive. `promise` itself is not cancelled.
 */
export function withTimeout<T, F = never>(
  promise: PromiseLike<T>,
  ms: number,
  onTimeout?: () => F,
): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<F>((resolve, reject) => {
    timer = setTimeout(() => {
      if (!onTimeout) return reject(new Error(`no answer within ${ms} ms`));
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
    }, ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
