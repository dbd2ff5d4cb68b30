import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PURPOSES, REACH, ROLES } from '../../src/policy';

/**
 * Who may do what is decided in src/policy alone, so that the policy tests and
 * `npm run matrix` see every rule, and adding a role is an edit of rules.ts only. Outside
 * it, no file may name a role, a purpose or a row scope: code asks the policy instead.
 * The CLI (which prints and issues per role) and the demo seed are the exceptions.
 */
const SRC = join(__dirname, '../../src');
const ALLOWED = ['policy', 'cli', 'demo'].map((folder) => join(SRC, folder));

const SCOPES = new Set(Object.values(REACH).flatMap((rule) => Object.values(rule.roles)));
const POLICY_WORDS = [...new Set<string>([...ROLES, ...PURPOSES, ...SCOPES])];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return ALLOWED.includes(path) ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every policy word written as a string literal in the text, as `where:line word`. */
function policyWordsIn(text: string, where: string): string[] {
  return POLICY_WORDS.flatMap((word) =>
    [...text.matchAll(new RegExp(`(['"\`])${word}\\1`, 'g'))].map(
      (match) => `${where}:${text.slice(0, match.index).split('\n').length} ${word}`,
    ),
  );
}

test('no file outside src/policy names a role, a purpose or a row scope', () => {
  const files = sourceFiles(SRC);
  expect(files.length).toBeGreaterThan(30);
  expect(files.flatMap((path) => policyWordsIn(readFileSync(path, 'utf8'), relative(SRC, path)))).toEqual([]);
});

test('the check finds a role compared in a resolver', () => {
  // The line as order.resolver.ts had it before reach became policy data.
  const line = "\n  if (orderScope(context.principal) !== 'OWN_SHIPMENTS') forbid(context, 'deliveries');";
  expect(policyWordsIn(line, 'order.resolver.ts')).toEqual(['order.resolver.ts:2 OWN_SHIPMENTS']);
});
