/** A clock tests move by hand: each scripted event takes the time it is at. */
export function manualClock(start: string): { now: () => Date; advanceMinutes: (minutes: number) => Date } {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advanceMinutes: (minutes) => {
      current += minutes * 60_000;
      return new Date(current);
    },
  };
}
