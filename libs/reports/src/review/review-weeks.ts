import { addDays, dateIn, startOfDay } from '../day/day-window';

export interface ReviewWeek {
  /** The Monday it starts on, YYYY-MM-DD in REPORT_TZ. */
  monday: string;
  start: Date;
  end: Date;
}

/** The Monday of the week a local date falls in. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** The `count` whole weeks (Monday 00:00 to Monday 00:00 in the zone) that ended last before `at`, oldest first. */
export function reviewWeeks(at: Date, count: number, timeZone: string): ReviewWeek[] {
  const thisMonday = mondayOf(dateIn(at, timeZone));
  return Array.from({ length: count }, (_, index) => {
    const monday = addDays(thisMonday, -7 * (count - index));
    return { monday, start: startOfDay(monday, timeZone), end: startOfDay(addDays(monday, 7), timeZone) };
  });
}
