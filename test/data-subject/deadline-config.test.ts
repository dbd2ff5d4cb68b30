import { ConfigError, loadConfig } from '../../src/config';
import { DEFAULT_DEADLINES, DEFAULT_RETENTION } from '../../src/policy';

/** The deadlines and lapse windows as operators set them in the environment. */
describe('configuration of deadlines and lapses', () => {
  const load = (env: NodeJS.ProcessEnv) => loadConfig({ JWT_SECRET: 'x'.repeat(32), ...env });

  test('unset, the law’s defaults and Vietnam’s fixed holidays apply', () => {
    const config = load({});
    expect(config.deadlines).toEqual(DEFAULT_DEADLINES);
    expect(config.deadlines.holidays).toEqual(['01-01', '04-30', '05-01', '09-02']);
    expect(config.retention).toMatchObject({ inactiveDays: 730, consentMaxAgeDays: 730 });
    expect(DEFAULT_RETENTION).toMatchObject({ inactiveDays: 730, consentMaxAgeDays: 730 });
  });

  test('each can be set; kinds not named keep their default', () => {
    const config = load({
      REQUEST_ACKNOWLEDGE_WORKING_DAYS: '3',
      REQUEST_ANSWER_DAYS: 'ERASURE:15, ACCESS:7',
      HOLIDAYS: '01-01,2027-02-06, 2027-02-08',
      RETENTION_INACTIVE_DAYS: '365',
      CONSENT_MAX_AGE_DAYS: '500',
    });
    expect(config.deadlines.acknowledgeWorkingDays).toBe(3);
    expect(config.deadlines.answerDays).toEqual({ ...DEFAULT_DEADLINES.answerDays, ERASURE: 15, ACCESS: 7 });
    expect(config.deadlines.holidays).toEqual(['01-01', '2027-02-06', '2027-02-08']);
    expect(config.retention).toMatchObject({ inactiveDays: 365, consentMaxAgeDays: 500 });
  });

  test.each([
    [{ REQUEST_ANSWER_DAYS: 'GOSSIP:3' }, /REQUEST_ANSWER_DAYS entries look like KIND:days/],
    [{ REQUEST_ANSWER_DAYS: 'ACCESS:0' }, /REQUEST_ANSWER_DAYS for ACCESS must be a positive whole number/],
    [{ REQUEST_ACKNOWLEDGE_WORKING_DAYS: 'two' }, /REQUEST_ACKNOWLEDGE_WORKING_DAYS must be/],
    [{ HOLIDAYS: '2026-02-30' }, /HOLIDAYS lists dates as YYYY-MM-DD or MM-DD, got "2026-02-30"/],
    [{ RETENTION_INACTIVE_DAYS: '-1' }, /RETENTION_INACTIVE_DAYS must be a positive whole number/],
    [{ CONSENT_MAX_AGE_DAYS: '1.5' }, /CONSENT_MAX_AGE_DAYS must be a positive whole number/],
  ])('%o is refused at start', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });
});
