import { DEFAULT_DEADLINES, deadlinesOf, isHolidayEntry, REQUEST_KINDS } from '../../src/policy';

/**
 * The legal deadlines (Decree 356/2025), counted in Vietnamese days: acknowledged within 2
 * working days, answered within 10 days (20 for erasure and deregistration). A deadline is
 * the end of its day in Vietnam (UTC+7), 16:59:59.999 UTC.
 */
describe('data-subject request deadlines', () => {
  test('a request received on a Friday is acknowledged by Tuesday: the weekend does not count', () => {
    const friday = new Date('2026-11-27T03:00:00Z'); // 10:00 in Hà Nội
    expect(deadlinesOf('ACCESS', friday, DEFAULT_DEADLINES)).toEqual({
      acknowledgeBy: new Date('2026-12-01T16:59:59.999Z'),
      dueBy: new Date('2026-12-07T16:59:59.999Z'),
    });
    expect(deadlinesOf('ERASURE', friday, DEFAULT_DEADLINES).dueBy).toEqual(new Date('2026-12-17T16:59:59.999Z'));
  });

  test('days are Vietnamese days: Friday 18:00 UTC is already Saturday in Hà Nội', () => {
    const fridayInUtc = new Date('2026-11-27T18:00:00Z');
    expect(deadlinesOf('COPY', fridayInUtc, DEFAULT_DEADLINES)).toEqual({
      acknowledgeBy: new Date('2026-12-01T16:59:59.999Z'),
      dueBy: new Date('2026-12-08T16:59:59.999Z'),
    });
  });

  test('fixed public holidays (30 April, 1 May) are not working days', () => {
    const tuesday = new Date('2026-04-28T03:00:00Z');
    // Wednesday 29 counts; Thursday 30 April and Friday 1 May are holidays, then the weekend.
    expect(deadlinesOf('CORRECTION', tuesday, DEFAULT_DEADLINES).acknowledgeBy).toEqual(
      new Date('2026-05-04T16:59:59.999Z'),
    );
  });

  test('HOLIDAYS and the day counts are configuration', () => {
    const friday = new Date('2026-11-27T03:00:00Z');
    const rules = {
      ...DEFAULT_DEADLINES,
      holidays: ['2026-12-01'],
      answerDays: { ...DEFAULT_DEADLINES.answerDays, ACCESS: 5 },
    };
    expect(deadlinesOf('ACCESS', friday, rules)).toEqual({
      acknowledgeBy: new Date('2026-12-02T16:59:59.999Z'),
      dueBy: new Date('2026-12-02T16:59:59.999Z'),
    });
    expect(deadlinesOf('ACCESS', friday, { ...rules, acknowledgeWorkingDays: 1 }).acknowledgeBy).toEqual(
      new Date('2026-11-30T16:59:59.999Z'),
    );
  });

  test('every kind has its answer time: 20 days for erasure and deregistration, 10 for the others', () => {
    const received = new Date('2026-11-25T03:00:00Z');
    const days = REQUEST_KINDS.map((kind) => {
      const { dueBy } = deadlinesOf(kind, received, DEFAULT_DEADLINES);
      return `${kind} ${Math.floor((dueBy.getTime() - received.getTime()) / 86_400_000)}`;
    });
    expect(days).toEqual([
      'ACCESS 10',
      'COPY 10',
      'CORRECTION 10',
      'ERASURE 20',
      'RESTRICTION 10',
      'OBJECTION 10',
      'WITHDRAW_CONSENT 10',
      'DEREGISTRATION 20',
    ]);
  });

  test('holiday entries are real dates, yearly (MM-DD) or one day (YYYY-MM-DD)', () => {
    expect(['01-01', '09-02', '2027-02-06', '02-29'].map(isHolidayEntry)).toEqual([true, true, true, true]);
    expect(['2026-02-30', '13-01', '1-1', 'tet', '2026-2-6'].map(isHolidayEntry)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
