// npm run schema:gate [-- --base <ref>]: compares schema.graphql, each audience's schema and
// the manifest with the merge base of main (or the previous commit when HEAD is on main's
// line) and fails on a breaking or privacy change that CHANGELOG.md's Unreleased section
// does not name. Without the history to compare against (a shallow clone), it says so and passes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AUDIENCE_SCHEMA_FILE, CONTRACT_AUDIENCE_NAMES } from '../contracts/documents';
import { MANIFEST_FILE } from '../contracts/manifest';
import { compareSchemaFiles, removedOperations, unanswered, type Finding } from '../contracts/schema-gate';

// The repository it is run in: `npm run` starts it at the root.
const root = process.cwd();
const MANIFEST = join('contracts', MANIFEST_FILE);
const FILES = [
  'schema.graphql',
  ...CONTRACT_AUDIENCE_NAMES.map((audience) => join('contracts', audience, AUDIENCE_SCHEMA_FILE)),
  MANIFEST,
];

function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The commit to compare with, and why that one; undefined when the history is not there. */
function baseCommit(requested: string | undefined): { commit: string; why: string } | undefined {
  if (requested) {
    const commit = git('rev-parse', '--verify', '--quiet', `${requested}^{commit}`);
    return commit ? { commit, why: `--base ${requested}` } : undefined;
  }
  const head = git('rev-parse', 'HEAD');
  for (const main of ['origin/main', 'main']) {
    const mergeBase = git('merge-base', 'HEAD', main);
    if (mergeBase && mergeBase !== head) return { commit: mergeBase, why: `merge base with ${main}` };
  }
  const previous = git('rev-parse', '--verify', '--quiet', 'HEAD~1^{commit}');
  return previous ? { commit: previous, why: 'the previous commit (HEAD is on main)' } : undefined;
}

function report(findings: readonly Finding[], missing: readonly Finding[]): void {
  for (const finding of findings) {
    const answered = missing.includes(finding) ? 'NO CHANGELOG ENTRY' : 'in CHANGELOG.md';
    process.stdout.write(`${finding.kind} ${finding.file}: ${finding.message} [${answered}]\n`);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { base: { type: 'string' } } });
  const base = baseCommit(values.base ?? process.env.SCHEMA_GATE_BASE);
  if (!base) {
    process.stdout.write(
      '!!! schema gate SKIPPED: no commit to compare with (a shallow clone, no git history, or git refused the folder). ' +
        'Fetch more history (git fetch --unshallow, or the main branch) to run it.\n',
    );
    return 0;
  }
  process.stdout.write(`schema gate: comparing with ${base.commit.slice(0, 12)} (${base.why})\n`);
  const findings: Finding[] = [];
  for (const file of FILES) {
    const before = git('show', `${base.commit}:${file}`);
    if (before === undefined || !existsSync(join(root, file))) {
      process.stdout.write(`${file}: not in both versions, nothing to compare\n`);
      continue;
    }
    const after = readFileSync(join(root, file), 'utf8');
    findings.push(
      ...(file === MANIFEST ? removedOperations(file, before, after) : await compareSchemaFiles(file, before, after)),
    );
  }
  const changelog = existsSync(join(root, 'CHANGELOG.md')) ? readFileSync(join(root, 'CHANGELOG.md'), 'utf8') : '';
  const missing = unanswered(findings, changelog);
  report(findings, missing);
  if (missing.length) {
    process.stderr.write(
      `schema gate FAILED: ${missing.length} change(s) without an entry under "## [Unreleased]" in CHANGELOG.md ` +
        '(name the coordinate; privacy changes under "### Privacy")\n',
    );
    return 1;
  }
  process.stdout.write(`schema gate passed (${findings.length} breaking or privacy change(s), each in CHANGELOG.md)\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`schema gate could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
