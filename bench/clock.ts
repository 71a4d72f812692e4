/**
 * A clock the whole process can move forward: the scale benchmark jumps to a campaign's sendAt
 * instead of waiting for it. It replaces the global `Date` (installed before the runtime and the
 * handlers load); timers and performance.now(), and so every measured duration, are not affected.
 */
export interface Clock {
  /** From now on, `Date` reads as if it were `at` now. */
  advanceTo(at: number): void;
}

export const adjustableClock = (): Clock => {
  const RealDate = Date;
  let offsetMs = 0;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args: unknown[], newTarget: new (...a: unknown[]) => unknown) =>
      Reflect.construct(target as new (...a: unknown[]) => Date, args.length === 0 ? [RealDate.now() + offsetMs] : args, newTarget) as object,
    apply: () => new RealDate(RealDate.now() + offsetMs).toString(),
    get: (target, property, receiver: unknown) => (property === 'now' ? () => RealDate.now() + offsetMs : Reflect.get(target, property, receiver)),
  });
  return {
    advanceTo: (at) => {
      offsetMs = Math.max(offsetMs, at - RealDate.now());
    },
  };
};

