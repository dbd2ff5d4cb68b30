import 'reflect-metadata';
import { getMetadataStorage } from 'type-graphql';
import { buildGatewaySchema } from '../../src/graphql/schema';

/**
 * The gateway uses no type-graphql middlewares: the policy wraps each protected field in
 * the built schema (graphql/disclosure/enforce-purposes.ts). Without `simpleResolvers`,
 * type-graphql wraps every plain field in a resolver of its own anyway, and a support
 * page has thousands of them.
 */
test('every object type resolves its plain fields as plain properties', () => {
  buildGatewaySchema();
  const storage = getMetadataStorage();
  expect(storage.middlewares).toEqual([]);
  const wrapped = storage.objectTypes.filter((type) => type.simpleResolvers !== true).map((type) => type.name);
  expect(wrapped).toEqual([]);
});
