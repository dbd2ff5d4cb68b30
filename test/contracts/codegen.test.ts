import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const CODEGEN = join(ROOT, 'node_modules/.bin/graphql-codegen');

/** `graphql-codegen --check` in `cwd`: exits 1 and names the files that regenerating would change. */
function codegenCheck(cwd: string) {
  return spawnSync(CODEGEN, ['--config', 'codegen.ts', '--check'], { cwd, encoding: 'utf8' });
}

describe('typed clients (npm run codegen)', () => {
  test('the committed contracts/generated is what codegen makes of contracts/ now (else run npm run codegen)', () => {
    const check = codegenCheck(ROOT);
    expect(check.stdout + check.stderr).not.toMatch(/stale/);
    expect(check.status).toBe(0);
  });

  test('the check fails on a stale file', () => {
    const copy = mkdtempSync(join(tmpdir(), 'codegen-'));
    try {
      cpSync(join(ROOT, 'codegen.ts'), join(copy, 'codegen.ts'));
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
      cpSync(join(ROOT, 'contracts'), join(copy, 'contracts'), { recursive: true });
      appendFileSync(join(copy, 'contracts/carrier/Delivery.graphql'), '\nquery Extra { me { id } }\n');
      const check = codegenCheck(copy);
      expect(check.status).toBe(1);
      expect(check.stdout + check.stderr).toContain('contracts/generated/carrier/graphql.ts');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test("every generated document's hash is its id in contracts/manifest.json, with the same body", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'contracts/manifest.json'), 'utf8'));
    const bodies = new Map(manifest.operations.map((o: { id: string; body: string }) => [o.id, o.body]));
    const persisted = ['carrier', 'dashboard'].flatMap((audience) =>
      Object.entries(
        JSON.parse(readFileSync(join(ROOT, 'contracts/generated', audience, 'persisted-documents.json'), 'utf8')),
      ),
    );
    expect(persisted.length).toBe(manifest.operations.length);
    for (const [hash, body] of persisted) expect(bodies.get(hash)).toBe(body);
  });
});
