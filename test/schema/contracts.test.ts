import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { PARSE_OPTIONS, queryLimitProtection } from '../../src/graphql/query-limits';

const ROOT = join(__dirname, '../..');
const schema = buildSchema(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));

const documents = ['carrier', 'dashboard'].flatMap((consumer) =>
  readdirSync(join(ROOT, 'contracts', consumer))
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => [`${consumer}/${file}`, readFileSync(join(ROOT, 'contracts', consumer, file), 'utf8')]),
);

describe('consumer operations (contracts/) are valid against schema.graphql', () => {
  test('there are contracts for both consumers', () => {
    expect(documents.map(([name]) => name.split('/')[0])).toEqual(expect.arrayContaining(['carrier', 'dashboard']));
  });

  const rules = [...specifiedRules, ...queryLimitProtection().validationRules];

  test.each(documents)('%s, within the query limits', (_name, source) => {
    expect(validate(schema, parse(source, PARSE_OPTIONS), rules).map((error) => error.message)).toEqual([]);
  });
});
