import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareSchemaFiles, removedOperations, unanswered } from '../../src/contracts/schema-gate';

const ROOT = join(__dirname, '../..');
const IDENTITY = '[ORDER_PROCESSING, CUSTOMER_CARE, MARKETING, DATA_SUBJECT_REQUEST]';

/** A small schema in the shape of ours; `customer` and `extra` are spliced into its types. */
function schema({ email = `@purpose(allow: ${IDENTITY})`, customer = '', query = '' } = {}): string {
  return `
    directive @purpose(allow: [Purpose!]!) on FIELD_DEFINITION
    enum Purpose { ORDER_PROCESSING SHIPPING CUSTOMER_CARE MARKETING DATA_SUBJECT_REQUEST }
    type Customer { id: ID! email: String ${email} ${customer} }
    type Order { id: ID! code: String! customer: Customer }
    type Query { order(id: ID!): Order customers(search: String): [Customer!]! ${query} }`;
}

const changelog = (unreleased: string, released = '') =>
  `# Changelog\n\n## [Unreleased]\n\n${unreleased}\n\n## [0.1.0] - 2026-11-01\n\n${released}\n`;

describe('the breaking-change gate, on crafted schema pairs', () => {
  test('SHIPPING added to Customer.email is a privacy change, answered only under Unreleased ### Privacy', async () => {
    const wider = `@purpose(allow: [ORDER_PROCESSING, SHIPPING, CUSTOMER_CARE, MARKETING, DATA_SUBJECT_REQUEST])`;
    const findings = await compareSchemaFiles('schema.graphql', schema(), schema({ email: wider }));
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'PRIVACY',
        coordinate: 'Customer.email',
        message: expect.stringContaining('SHIPPING'),
      }),
    ]);
    expect(unanswered(findings, '')).toEqual(findings);
    expect(unanswered(findings, changelog('### Changed\n\n- `Customer.email` for SHIPPING'))).toEqual(findings);
    expect(unanswered(findings, changelog('', '### Privacy\n\n- `Customer.email` for SHIPPING'))).toEqual(findings);
    expect(unanswered(findings, changelog('### Privacy\n\n- `Customer.email` may be read for SHIPPING'))).toEqual([]);
  });

  test('a dropped @purpose is a privacy change', async () => {
    const findings = await compareSchemaFiles('schema.graphql', schema(), schema({ email: '' }));
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'PRIVACY', coordinate: 'Customer.email' }));
  });

  test('a new protected field is a privacy change', async () => {
    const phone = `phone: String @purpose(allow: ${IDENTITY})`;
    const findings = await compareSchemaFiles('schema.graphql', schema(), schema({ customer: phone }));
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'PRIVACY',
        coordinate: 'Customer.phone',
        message: expect.stringMatching(/new protected field/),
      }),
    ]);
  });

  test('a new way to personal data is a new reach; a new field of plain data is nothing to report', async () => {
    const reach = await compareSchemaFiles(
      'contracts/carrier/schema.graphql',
      schema(),
      schema({ query: 'customerByPhone(phone: String!): Customer' }),
    );
    expect(reach).toEqual([
      expect.objectContaining({
        kind: 'PRIVACY',
        coordinate: 'Query.customerByPhone',
        message: expect.stringMatching(/new reach/),
      }),
    ]);
    expect(await compareSchemaFiles('schema.graphql', schema(), schema({ query: 'version: String!' }))).toEqual([]);
  });

  test('a removed field or argument is breaking, answered when Unreleased names its coordinate', async () => {
    const before = schema();
    const after = before.replace('customers(search: String)', 'customers').replace('code: String!', '');
    const findings = await compareSchemaFiles('schema.graphql', before, after);
    expect(findings.map(({ kind, coordinate }) => `${kind} ${coordinate}`).sort()).toEqual([
      'BREAKING Order.code',
      'BREAKING Query.customers.search',
    ]);
    const entry = '### Removed\n\n- `Order.code`: use `Order.id`.';
    expect(unanswered(findings, changelog(entry)).map(({ coordinate }) => coordinate)).toEqual([
      'Query.customers.search',
    ]);
    // A longer coordinate that starts with it does not count.
    expect(unanswered(findings, changelog('- `Order.codeV2` added')).length).toBe(2);
  });
});

test('an operation whose id leaves the manifest is breaking for clients that send the id', () => {
  const manifest = (...operations: [string, string][]) =>
    JSON.stringify({ operations: operations.map(([id, name]) => ({ id, name })) });
  const before = manifest(['aa', 'Deliveries'], ['bb', 'Delivery']);
  expect(
    removedOperations(
      'contracts/manifest.json',
      before,
      manifest(['aa', 'Deliveries'], ['bb', 'Delivery'], ['cc', 'New']),
    ),
  ).toEqual([]);
  expect(
    removedOperations('contracts/manifest.json', before, manifest(['aa', 'Deliveries'], ['b2', 'Delivery'])),
  ).toEqual([
    expect.objectContaining({
      kind: 'BREAKING',
      coordinate: 'Delivery',
      message: expect.stringMatching(/PERSISTED_QUERY_NOT_FOUND/),
    }),
  ]);
});

describe('npm run schema:gate in a git repository', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  const gate = () =>
    spawnSync(join(ROOT, 'node_modules/.bin/ts-node'), ['--transpile-only', join(ROOT, 'src/cli/schema-gate.ts')], {
      cwd: repo,
      encoding: 'utf8',
    });
  const commit = (files: Record<string, string>, message: string) => {
    for (const [path, content] of Object.entries(files)) writeFileSync(join(repo, path), content);
    git('add', '-A');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.vn', 'commit', '-qm', message);
  };

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'schema-gate-'));
    mkdirSync(join(repo, 'contracts/carrier'), { recursive: true });
    git('init', '-q', '-b', 'main');
    commit({ 'schema.graphql': schema(), 'CHANGELOG.md': changelog('') }, 'first');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  test('with no history to compare against, it says it is skipped and passes', () => {
    const run = gate();
    expect(run.stdout).toMatch(/schema gate SKIPPED/);
    expect(run.status).toBe(0);
  });

  test('on main, a commit that widens a @purpose fails until CHANGELOG.md has its privacy entry', () => {
    const wider = '@purpose(allow: [ORDER_PROCESSING, SHIPPING, CUSTOMER_CARE, MARKETING, DATA_SUBJECT_REQUEST])';
    commit({ 'schema.graphql': schema({ email: wider }) }, 'widen');
    const failing = gate();
    expect(failing.stdout).toMatch(/previous commit/);
    expect(failing.stdout).toMatch(/PRIVACY schema.graphql: Customer.email: .*NO CHANGELOG ENTRY/);
    expect(failing.status).toBe(1);
    // The entry, written before committing: the gate reads the working tree's CHANGELOG.md.
    writeFileSync(join(repo, 'CHANGELOG.md'), changelog('### Privacy\n\n- `Customer.email` is read for SHIPPING'));
    const passing = gate();
    expect(passing.stdout).toMatch(/PRIVACY schema.graphql: Customer.email: .*\[in CHANGELOG.md\]/);
    expect(passing.status).toBe(0);
  });

  test('on a branch, it compares with the merge base with main', () => {
    git('checkout', '-q', '-b', 'feature');
    commit({ 'schema.graphql': schema().replace('code: String!', '') }, 'drop code');
    commit({ 'README.md': 'later' }, 'unrelated');
    const run = gate();
    expect(run.stdout).toMatch(/merge base with main/);
    expect(run.stdout).toMatch(/BREAKING schema.graphql: .*Order.*NO CHANGELOG ENTRY/);
    expect(run.status).toBe(1);
  });
});
