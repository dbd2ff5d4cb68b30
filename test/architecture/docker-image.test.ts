import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The production image runs compiled JavaScript on a supported Node, with no compiler in
 * it. No docker here: the Dockerfile is read, and the final stage's own `npm ci` is run
 * as a dry run against the lockfile to list what the image would hold.
 */
const ROOT = join(__dirname, '../..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const stages = dockerfile.split(/^FROM /m).slice(1);
const finalStage = stages[stages.length - 1];

/** The packages `npm ci` with these flags installs from package.json and the lockfile. */
function packagesInstalledBy(npmCi: string): string[] {
  const folder = mkdtempSync(join(tmpdir(), 'image-'));
  try {
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, file), join(folder, file));
    const flags = npmCi.split(/\s+/).slice(2);
    const output = execFileSync('npm', ['ci', ...flags, '--dry-run', '--offline'], {
      cwd: folder,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return [...output.matchAll(/^add (\S+) /gm)].map(([, name]) => name);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

test('every stage builds on Node 22 LTS', () => {
  expect(stages.length).toBeGreaterThanOrEqual(2);
  for (const stage of stages) expect(stage).toMatch(/^node:22[-.\s]/);
});

test('the image starts the compiled server with node, not `npm start` (which needs tsc)', () => {
  expect(finalStage).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
  expect(finalStage).not.toMatch(/^(CMD|ENTRYPOINT).*npm/m);
});

test('the final stage installs its own runtime dependencies, and they hold no TypeScript nor ts-node', () => {
  const npmCi = finalStage.match(/npm ci [^\\\n&]*/)?.[0].trim();
  expect(npmCi).toContain('--omit=dev');
  // Nothing installed in the build stage reaches the image.
  expect(finalStage).not.toMatch(/COPY --from=build \S*node_modules/);
  const packages = packagesInstalledBy(npmCi!);
  expect(packages).toEqual(expect.arrayContaining(['@apollo/server', 'typeorm', 'pg', 'graphiql']));
  expect(packages).not.toContain('typescript');
  expect(packages).not.toContain('ts-node');
});
