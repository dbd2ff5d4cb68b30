import { loadConfig } from '../../src/config';
import { DENIAL_REASONS } from '../../src/policy';
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
