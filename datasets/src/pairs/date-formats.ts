/** A day of the Gregorian calendar: month 1–12, weekday 0 (Sunday) – 6. */
export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const month = (d: CalendarDay) => MONTHS[d.month - 1]!;
const mon = (d: CalendarDay) => month(d).slice(0, 3);
const yy = (d: CalendarDay) => pad(d.year % 100);
const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/** The target: ISO 8601's calendar date. */
export function isoDate(d: CalendarDay): string {
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

/**
 * Human ways to write a date, named by their pattern, each shown for Monday 23 January 2017. No string means two
 * dates: a two-digit year is 19xx from 50 and 20xx below (the dates run 1950–2049), and day-first and month-first
 * numeric forms never share a separator and year width (`23/01/2017` is day first, `01/23/17` month first), so
 * `10/11/2017` cannot be read two ways. The test checks that over every day of the range.
 */
export const DATE_FORMATS: Readonly<Record<string, (d: CalendarDay) => string>> = {
  'D Mon YYYY': (d) => `${d.day} ${mon(d)} ${d.year}`, // 23 Jan 2017
  'Month D, YYYY': (d) => `${month(d)} ${d.day}, ${d.year}`, // January 23, 2017
  'DD/MM/YYYY': (d) => `${pad(d.day)}/${pad(d.month)}/${d.year}`, // 23/01/2017
  'MM/DD/YY': (d) => `${pad(d.month)}/${pad(d.day)}/${yy(d)}`, // 01/23/17
  'YYYY-MM-DD': (d) => isoDate(d), // 2017-01-23: already the target, the model must learn to copy
  'Weekday, Month D, YYYY': (d) => `${WEEKDAYS[d.weekday]}, ${month(d)} ${d.day}, ${d.year}`, // Monday, January 23, 2017
  'DD.MM.YY': (d) => `${pad(d.day)}.${pad(d.month)}.${yy(d)}`, // 23.01.17
  'MON D YYYY': (d) => `${mon(d).toUpperCase()} ${d.day} ${d.year}`, // JAN 23 2017
  'DD-MON-YYYY': (d) => `${pad(d.day)}-${mon(d).toUpperCase()}-${d.year}`, // 23-JAN-2017
  YYYYMMDD: (d) => `${d.year}${pad(d.month)}${pad(d.day)}`, // 20170123
  DDMONYYYY: (d) => `${pad(d.day)}${mon(d).toUpperCase()}${d.year}`, // 23JAN2017
  'Mon D, YY': (d) => `${mon(d)} ${d.day}, ${yy(d)}`, // Jan 23, 17
  'D.M.YYYY': (d) => `${d.day}.${d.month}.${d.year}`, // 23.1.2017
  'YYYY.MM.DD': (d) => `${d.year}.${pad(d.month)}.${pad(d.day)}`, // 2017.01.23
  'Dth Month YYYY': (d) => `${ordinal(d.day)} ${month(d)} ${d.year}`, // 23rd January 2017
  'Wkd D Mon YYYY': (d) => `${WEEKDAYS[d.weekday]!.slice(0, 3)} ${d.day} ${mon(d)} ${d.year}`, // Mon 23 Jan 2017
  'YYYY/M/D': (d) => `${d.year}/${d.month}/${d.day}`, // 2017/1/23
  'D MONTH YYYY': (d) => `${d.day} ${month(d).toUpperCase()} ${d.year}`, // 23 JANUARY 2017
  'DD-MM-YYYY': (d) => `${pad(d.day)}-${pad(d.month)}-${d.year}`, // 23-01-2017
};

export const DATE_FORMAT_NAMES: readonly string[] = Object.keys(DATE_FORMATS);

/** The first and last day the dates dataset draws from, as tfjs-examples' date-conversion-attention: [1950, 2050). */
export const FIRST_DAY = Date.UTC(1950, 0, 1);
export const DAY_COUNT = (Date.UTC(2050, 0, 1) - FIRST_DAY) / 86_400_000; // 36,525

/** Day `index` of the range (0 is 1 January 1950), by UTC arithmetic so that no time zone shifts it. */
export function calendarDay(index: number): CalendarDay {
  const date = new Date(FIRST_DAY + index * 86_400_000);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    weekday: date.getUTCDay(),
  };
}
