/**
 * The legal deadlines of a data-subject request, counted from its receipt in the shop's
 * local days: acknowledged within so many working days (not Saturday, Sunday or a
 * holiday), answered within so many calendar days. A deadline is the end of its day.
 * Pure: the rules and the moment of receipt are all it reads.
 */
import type { DeadlineRules } from './rules';
import type { RequestKind } from './vocabulary';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Deadlines {
  acknowledgeBy: Date;
  dueBy: Date;
}

/** The local calendar day of a moment, as a UTC midnight (only its date parts are read). */
function localDay(moment: Date, rules: DeadlineRules): Date {
  const local = new Date(moment.getTime() + rules.utcOffsetMinutes * 60_000);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
}

/** The last millisecond of a local day, as a moment. */
function endOfLocalDay(day: Date, rules: DeadlineRules): Date {
  return new Date(day.getTime() + DAY_MS - 1 - rules.utcOffsetMinutes * 60_000);
}

/** Whether the local day is Saturday, Sunday or a holiday (`MM-DD` yearly, or `YYYY-MM-DD`). */
export function isDayOff(day: Date, holidays: readonly string[]): boolean {
  const weekday = day.getUTCDay();
  if (weekday === 0 || weekday === 6) return true;
  const iso = day.toISOString().slice(0, 10);
  return holidays.includes(iso) || holidays.includes(iso.slice(5));
}

/** The local day `count` working days after `day`. */
export function addWorkingDays(day: Date, count: number, holidays: readonly string[]): Date {
  let current = day;
  for (let left = count; left > 0;) {
    current = new Date(current.getTime() + DAY_MS);
    if (!isDayOff(current, holidays)) left -= 1;
  }
  return current;
}

/** When a request of this kind received at this moment must be acknowledged and answered. */
export function deadlinesOf(kind: RequestKind, receivedAt: Date, rules: DeadlineRules): Deadlines {
  const receivedOn = localDay(receivedAt, rules);
  const acknowledgeOn = addWorkingDays(receivedOn, rules.acknowledgeWorkingDays, rules.holidays);
  const dueOn = new Date(receivedOn.getTime() + rules.answerDays[kind] * DAY_MS);
  return { acknowledgeBy: endOfLocalDay(acknowledgeOn, rules), dueBy: endOfLocalDay(dueOn, rules) };
}

/** A holiday as HOLIDAYS lists it: `MM-DD` (every year) or `YYYY-MM-DD`, a real date. */
export function isHolidayEntry(entry: string): boolean {
  const match = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(entry);
  if (!match) return false;
  const [, year = '2024', month, day] = match;
  const date = new Date(`${year}-${month}-${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(5, 10) === `${month}-${day}`;
}
