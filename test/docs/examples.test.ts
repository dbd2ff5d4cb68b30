import { demoTokens, type DemoToken } from '../../src/demo/demo-shop';
import { ROLES } from '../../src/policy';
import { TEST_DATABASES } from '../support/databases';
import { TEST_SECRET, TestGateway, type GraphQLResponse } from '../support/gateway';
import { allExamples, examplesOf, mismatches, type DocExample } from './doc-examples';
import { documentationFiles, readDoc } from './markdown';

/**
 * The GraphQL examples of README.md and docs/ (marked as `doc-examples.ts` describes),
 * run in the order they are written, each file against a fresh gateway on the demo shop,
 * with the same tokens `npm start` prints. Each must answer as the doc says it does.
 */

const filesWithExamples = documentationFiles().filter((file) => examplesOf(file).length > 0);

/** The demo token an example names: "SUPPORT_AGENT", "CARRIER ghn"; "nobody" sends none. */
function authorizationFor(example: DocExample, tokens: DemoToken[]): Record<string, string> {
  if (example.as === 'nobody') return {};
  const token = tokens.find(({ role, carrierId }) => (carrierId ? `${role} ${carrierId}` : role) === example.as);
  if (!token) throw new Error(`${example.file}:${example.line}: no demo token is called "${example.as}"`);
  return { authorization: `Bearer ${token.token}` };
}

/** `{{customer <email>}}` and `{{order <code>}}` in variables: the id of that demo row. */
async function resolveIds(value: unknown, gateway: TestGateway): Promise<unknown> {
  if (typeof value === 'string') {
    const reference = /^\{\{(customer|order) (.+)\}\}$/.exec(value);
    if (!reference) return value;
    const [, kind, key] = reference;
    const sql =
      kind === 'customer' ? 'SELECT id FROM customers WHERE email = $1' : 'SELECT id FROM orders WHERE code = $1';
    const rows: { id: string }[] = await gateway.database.dataSource.query(sql, [key]);
    if (rows.length !== 1) throw new Error(`no single ${kind} ${key} in the demo shop`);
    return rows[0].id;
  }
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveIds(item, gateway)));
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await resolveIds(item, gateway)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

async function run(example: DocExample, gateway: TestGateway, tokens: DemoToken[]): Promise<GraphQLResponse> {
  const headers = authorizationFor(example, tokens);
  if (example.purpose) headers['x-purpose'] = example.purpose;
  const variables = await resolveIds(example.variables, gateway);
  return gateway.post({ query: example.query, variables, extensions: example.extensions }, headers);
}

describe('the documentation has runnable examples', () => {
  it('covers every role in the README, and more in docs/', () => {
    const inReadme = examplesOf('README.md').map((example) => example.as.split(' ')[0]);
    expect(ROLES.filter((role) => !inReadme.includes(role))).toEqual([]);
    expect(allExamples().length).toBeGreaterThanOrEqual(30);
  });

  it('runs every block marked as an example (a marker on the wrong line would be skipped silently)', () => {
    const markers = documentationFiles().flatMap((file) =>
      [...readDoc(file).matchAll(/^\s*<!--\s*example\b/gm)].map(() => file),
    );
    expect(markers.length).toBe(allExamples().length);
  });
});

describe.each(TEST_DATABASES)('documentation examples [$name]', (testDatabase) => {
  describe.each(filesWithExamples)('%s', (file) => {
    let gateway: TestGateway;
    let tokens: DemoToken[];
    beforeAll(async () => {
      gateway = await TestGateway.start(await testDatabase.open());
      tokens = await demoTokens(TEST_SECRET);
    });
    afterAll(async () => {
      await gateway?.stop();
    });

    it.each(examplesOf(file).map((example) => [`line ${example.line} as ${example.as}`, example] as const))(
      '%s answers as the doc says',
      async (_title, example) => {
        const { status, requestId: _requestId, ...response } = await run(example, gateway, tokens);
        const problems = [
          ...(status === example.status ? [] : [`HTTP ${status}, ${example.status} expected`]),
          ...(example.claimed === undefined
            ? (response.errors ?? []).map((error) => `unexpected error: ${error.message}`)
            : mismatches(example.claimed, response)),
          ...(example.claimed !== undefined && !('errors' in (example.claimed as object)) && response.errors
            ? [`errors the doc does not show: ${JSON.stringify(response.errors)}`]
            : []),
        ];
        expect({ example: `${example.file}:${example.line}`, problems }).toEqual({
          example: `${example.file}:${example.line}`,
          problems: [],
        });
      },
    );
  });
});
