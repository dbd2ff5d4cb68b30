import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
  specifiedRules,
  typeFromAST,
  validate,
  type GraphQLInputType,
  type OperationDefinitionNode,
} from 'graphql';
import { AUDIENCE_SCHEMA_FILE } from '../../src/contracts/documents';
import { MAX_PAGE_SIZE } from '../../src/graphql/page-size';
import { operationCost, PARSE_OPTIONS, QUERY_LIMITS, queryLimitProtection } from '../../src/graphql/query-limits';

const ROOT = join(__dirname, '../..');
const schema = buildSchema(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));

const documents = ['carrier', 'dashboard'].flatMap((consumer) =>
  readdirSync(join(ROOT, 'contracts', consumer))
    .filter((file) => file.endsWith('.graphql') && file !== AUDIENCE_SCHEMA_FILE)
    .map((file) => [`${consumer}/${file}`, readFileSync(join(ROOT, 'contracts', consumer, file), 'utf8')]),
);

/** A value of the type that coerces; only its shape matters to the cost. */
function someValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return someValue(type.ofType);
  if (isListType(type)) return [someValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).map((field) => [field.name, someValue(field.type)]));
  }
  return (
    { Int: 1, Boolean: true, ID: '00000000-0000-0000-0000-000000000000', DateTime: '2026-01-01T00:00:00Z' }[
      getNamedType(type).name
    ] ?? 'x'
  );
}

/** The most the operation can ask for: every page at the cap, whatever else it is given. */
function worstCaseVariables(operation: OperationDefinitionNode): Record<string, unknown> {
  return Object.fromEntries(
    (operation.variableDefinitions ?? []).map(({ variable, type }) => [
      variable.name.value,
      variable.name.value === 'first' ? MAX_PAGE_SIZE : someValue(typeFromAST(schema, type) as GraphQLInputType),
    ]),
  );
}

describe('consumer operations (contracts/) are valid against schema.graphql', () => {
  test('there are contracts for both consumers', () => {
    expect(documents.map(([name]) => name.split('/')[0])).toEqual(expect.arrayContaining(['carrier', 'dashboard']));
  });

  const rules = [...specifiedRules, ...queryLimitProtection().validationRules];

  test.each(documents)('%s, within the query limits', (_name, source) => {
    expect(validate(schema, parse(source, PARSE_OPTIONS), rules).map((error) => error.message)).toEqual([]);
  });

  test.each(documents)(`%s, within the cost limit with every page at ${MAX_PAGE_SIZE}`, (_name, source) => {
    const document = parse(source);
    for (const operation of document.definitions.filter((d) => d.kind === 'OperationDefinition')) {
      const cost = operationCost(schema, document, worstCaseVariables(operation), operation.name?.value);
      expect(cost).toBeLessThanOrEqual(QUERY_LIMITS.maxCost);
    }
  });
});
