/** A calendar day in a time zone, as the UTC instants it spans: [start, end). 23 or 25 hours long on a DST change. */
export interface DayWindow {
  date: string;
  timeZone: string;
  start: Date;
  end: Date;
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds the zone's wall clock is ahead of UTC at this instant. */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const wallClock = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'));
  return wallClock - Math.floor(at.getTime() / 1000) * 1000;
}

function parseDate(date: string): [number, number, number] {
  const match = datePattern.exec(date);
  if (!match) throw new Error(`not a date (YYYY-MM-DD): ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw new Error(`no such day: ${date}`);
  return [year, month, day];
}

const halfDayMs = 12 * 3_600_000;

/**
 * The first instant of a day in a zone: local midnight, or the first existing instant when DST skips midnight
 * (America/Santiago, America/Havana). Midnight is read with the offset in force half a day before and half a day
 * after; of those candidates that fall on the date locally, the earliest is the start (a repeated midnight: the first).
 */
export function startOfDay(date: string, timeZone: string): Date {
  const [year, month, day] = parseDate(date);
  const wallMidnight = Date.UTC(year, month - 1, day);
  const candidates = [wallMidnight - halfDayMs, wallMidnight + halfDayMs]
    .map((probe) => wallMidnight - zoneOffsetMs(new Date(probe), timeZone))
    .sort((a, b) => a - b);
  const onTheDate = candidates.find((instant) => dateIn(new Date(instant), timeZone) === date);
  return new Date(onTheDate ?? candidates[0]!);
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function dayWindow(date: string, timeZone: string): DayWindow {
  return { date, timeZone, start: startOfDay(date, timeZone), end: startOfDay(addDays(date, 1), timeZone) };
}

/** The calendar date an instant falls on in a zone. */
export function dateIn(at: Date, timeZone: string): string {
  return new Date(at.getTime() + zoneOffsetMs(at, timeZone)).toISOString().slice(0, 10);
}

/** The day that ended last before `at`, in the zone: what a report run at `at` covers. */
export function yesterdayIn(at: Date, timeZone: string): string {
  return addDays(dateIn(at, timeZone), -1);
}

export function hoursIn(window: DayWindow): number {
  return (window.end.getTime() - window.start.getTime()) / 3_600_000;
}
