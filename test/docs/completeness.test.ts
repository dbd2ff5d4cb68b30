import { loadConfig } from '../../src/config';
import { QUERY_LIMITS } from '../../src/graphql/query-limits';
import {
  DEFAULT_DISCLOSURE_LIMITS,
  DEFAULT_DISCLOSURE_WINDOW_MINUTES,
  DEFAULT_RETENTION,
  DENIAL_REASONS,
} from '../../src/policy';
import { readDoc } from './markdown';

/**
 * What an operator or an integrator must be told is taken from the code itself: a
 * setting or an error code added without its line in the docs fails here.
 */

/** The first cell of each table row of a doc, without its backticks. */
function tableKeys(path: string): Set<string> {
  const keys = [...readDoc(path).matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map(([, key]) => key);
  return new Set(keys);
}

/** Every variable `src/config.ts` reads: written as env.NAME, env['NAME'] or (env, 'NAME'). */
function variablesNamedIn(source: string): string[] {
  const patterns = [
    /\benv\.([A-Z][A-Z0-9_]*)/g,
    /\benv\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g,
    /\(\s*env\s*,\s*'([A-Z][A-Z0-9_]*)'/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map(([, name]) => name));
}

/** Every variable `loadConfig` actually looks up when nothing is set. */
function variablesLoadConfigReads(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_target, name) => {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  loadConfig(env);
  return [...read];
}

describe('docs/configuration-and-operations.md', () => {
  const documented = tableKeys('docs/configuration-and-operations.md');

  it('lists every environment variable src/config.ts reads', () => {
    const named = variablesNamedIn(readDoc('src/config.ts'));
    const read = variablesLoadConfigReads();
    expect(named.length).toBeGreaterThan(15);
    const undocumented = [...new Set([...named, ...read])].filter((name) => !documented.has(name));
    expect(undocumented).toEqual([]);
  });

  it('lists LOG_LEVEL, which the logger reads', () => {
    expect(variablesNamedIn(readDoc('src/logger.ts').replace(/process\.env/g, 'env'))).toContain('LOG_LEVEL');
    expect(documented.has('LOG_LEVEL')).toBe(true);
  });
});

describe('docs/error-codes.md', () => {
  const documented = tableKeys('docs/error-codes.md');

  it('explains every code src/graphql/errors.ts may send, and every reason the policy may give', () => {
    const union = /export type ErrorCode =([\s\S]*?);/.exec(readDoc('src/graphql/errors.ts'));
    const codes = [...(union?.[1] ?? '').matchAll(/'([A-Z_]+)'/g)].map(([, code]) => code);
    expect(codes.length).toBeGreaterThan(8);
    const undocumented = [...codes, ...DENIAL_REASONS, 'INTERNAL_SERVER_ERROR'].filter((code) => !documented.has(code));
    expect(undocumented).toEqual([]);
  });
});

/** The default column of a variable's row in the configuration table, without backticks. */
function documentedDefault(variable: string): string | undefined {
  const row = new RegExp(`^\\|\\s*\`${variable}\`\\s*\\|([^|]*)\\|`, 'm').exec(
    readDoc('docs/configuration-and-operations.md'),
  );
  return row?.[1].replace(/`/g, '').trim();
}

describe('the numbers the docs state', () => {
  it('are the defaults the policy holds', () => {
    const limits = Object.entries(DEFAULT_DISCLOSURE_LIMITS).map(([role, limit]) => `${role}:${limit}`);
    expect({
      DISCLOSURE_LIMITS: documentedDefault('DISCLOSURE_LIMITS'),
      DISCLOSURE_WINDOW_MINUTES: documentedDefault('DISCLOSURE_WINDOW_MINUTES'),
      RETENTION_SHIPPING_DAYS: documentedDefault('RETENTION_SHIPPING_DAYS'),
      RETENTION_DEREGISTERED_DAYS: documentedDefault('RETENTION_DEREGISTERED_DAYS'),
      AUDIT_RETENTION_MONTHS: documentedDefault('AUDIT_RETENTION_MONTHS'),
    }).toEqual({
      DISCLOSURE_LIMITS: limits.join(','),
      DISCLOSURE_WINDOW_MINUTES: String(DEFAULT_DISCLOSURE_WINDOW_MINUTES),
      RETENTION_SHIPPING_DAYS: String(DEFAULT_RETENTION.shippingDays),
      RETENTION_DEREGISTERED_DAYS: String(DEFAULT_RETENTION.deregisteredDays),
      AUDIT_RETENTION_MONTHS: String(DEFAULT_RETENTION.auditMonths),
    });
  });

  it.each([
    ['docs/security-model.md', /\*\*Query limits\.\*\*[^\n]*\n[^\n]*/],
    ['docs/error-codes.md', /^\| `QUERY_TOO_COMPLEX` \|[^\n]*/m],
  ])('are the query limits the gateway enforces, in %s', (path, where) => {
    const text = where.exec(readDoc(path))?.[0] ?? '';
    const numbers = [...text.matchAll(/\d[\d,]*/g)].map(([number]) => Number(number.replace(/,/g, '')));
    const enforced = Object.values(QUERY_LIMITS);
    expect(enforced.filter((limit) => !numbers.includes(limit))).toEqual([]);
  });
});
