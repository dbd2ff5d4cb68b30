import { DEFAULT_DEADLINES, isHolidayEntry, isRequestKind, type DeadlineRules } from '../policy';

/**
 * The legal deadlines as the environment sets them:
 * REQUEST_ACKNOWLEDGE_WORKING_DAYS=2, REQUEST_ANSWER_DAYS=ERASURE:20,ACCESS:10 (kinds not
 * named keep their default), HOLIDAYS=2026-02-16,2026-02-17,09-01 (replaces Vietnam's
 * fixed holidays: list them too if they still apply).
 */
export function deadlineRules(env: NodeJS.ProcessEnv, invalid: (message: string) => Error): DeadlineRules {
  const wholeDays = (name: string, raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw invalid(`${name} must be a positive whole number, got "${raw}"`);
    return value;
  };
  const answerDays = { ...DEFAULT_DEADLINES.answerDays };
  for (const entry of (env.REQUEST_ANSWER_DAYS ?? '').split(',').filter((part) => part.trim() !== '')) {
    const [kind, days] = entry.split(':').map((part) => part.trim());
    if (!isRequestKind(kind) || days === undefined) {
      throw invalid(`REQUEST_ANSWER_DAYS entries look like KIND:days, got "${entry}"`);
    }
    answerDays[kind] = wholeDays(`REQUEST_ANSWER_DAYS for ${kind}`, days);
  }
  const holidays =
    env.HOLIDAYS === undefined || env.HOLIDAYS.trim() === ''
      ? DEFAULT_DEADLINES.holidays
      : env.HOLIDAYS.split(',').map((day) => day.trim());
  const wrong = holidays.find((day) => !isHolidayEntry(day));
  if (wrong !== undefined) throw invalid(`HOLIDAYS lists dates as YYYY-MM-DD or MM-DD, got "${wrong}"`);
  const acknowledge = env.REQUEST_ACKNOWLEDGE_WORKING_DAYS;
  return {
    ...DEFAULT_DEADLINES,
    acknowledgeWorkingDays: acknowledge
      ? wholeDays('REQUEST_ACKNOWLEDGE_WORKING_DAYS', acknowledge)
      : DEFAULT_DEADLINES.acknowledgeWorkingDays,
    answerDays,
    holidays,
  };
}
