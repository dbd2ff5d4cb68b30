import { ConfigError, positiveInteger, positiveIntegerOr } from '../config-values';
import { DEFAULT_DEADLINES, isHolidayEntry, isRequestKind, type DeadlineRules } from '../policy';

/**
 * The legal deadlines as the environment sets them:
 * REQUEST_ACKNOWLEDGE_WORKING_DAYS=2, REQUEST_ANSWER_DAYS=ERASURE:20,ACCESS:10 (kinds not
 * named keep their default), HOLIDAYS=2026-02-16,2026-02-17,09-01 (replaces Vietnam's
 * fixed holidays: list them too if they still apply).
 */
export function deadlineRules(env: NodeJS.ProcessEnv): DeadlineRules {
  const answerDays = { ...DEFAULT_DEADLINES.answerDays };
  for (const entry of (env.REQUEST_ANSWER_DAYS ?? '').split(',').filter((part) => part.trim() !== '')) {
    const [kind, days] = entry.split(':').map((part) => part.trim());
    if (!isRequestKind(kind) || days === undefined) {
      throw new ConfigError(`REQUEST_ANSWER_DAYS entries look like KIND:days, got "${entry}"`);
    }
    answerDays[kind] = positiveInteger(`REQUEST_ANSWER_DAYS for ${kind}`, days);
  }
  const holidays =
    env.HOLIDAYS === undefined || env.HOLIDAYS.trim() === ''
      ? DEFAULT_DEADLINES.holidays
      : env.HOLIDAYS.split(',').map((day) => day.trim());
  const wrong = holidays.find((day) => !isHolidayEntry(day));
  if (wrong !== undefined) throw new ConfigError(`HOLIDAYS lists dates as YYYY-MM-DD or MM-DD, got "${wrong}"`);
  return {
    ...DEFAULT_DEADLINES,
    acknowledgeWorkingDays: positiveIntegerOr(
      env,
      'REQUEST_ACKNOWLEDGE_WORKING_DAYS',
      DEFAULT_DEADLINES.acknowledgeWorkingDays,
    ),
    answerDays,
    holidays,
  };
}
