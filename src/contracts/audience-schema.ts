import { MapperKind, mapSchema, pruneSchema } from '@graphql-tools/utils';
import type { GraphQLArgumentConfig, GraphQLFieldConfig, GraphQLSchema } from 'graphql';
import { audienceReaches, CONTRACT_AUDIENCES, type ContractAudience, type Role } from '../policy';

/** The field's arguments the audience reaches; the others are cut from its contract. */
function reachedArguments(
  roles: readonly Role[],
  coordinate: string,
  args: GraphQLFieldConfig<unknown, unknown>['args'],
): Record<string, GraphQLArgumentConfig> | undefined {
  if (args === undefined) return undefined;
  return Object.fromEntries(Object.entries(args).filter(([name]) => audienceReaches(roles, `${coordinate}.${name}`)));
}

/**
 * The schema as one audience sees it: only the fields and arguments its roles reach
 * (the policy decides which), and then only the types still reachable from its roots.
 * Directives stay on what remains, so the audience sees each field's `@purpose`.
 */
export function audienceSchema(schema: GraphQLSchema, audience: ContractAudience): GraphQLSchema {
  const roles = CONTRACT_AUDIENCES[audience];
  const cut = mapSchema(schema, {
    [MapperKind.FIELD]: (fieldConfig, fieldName, typeName) => {
      const coordinate = `${typeName}.${fieldName}`;
      if (!audienceReaches(roles, coordinate)) return null;
      if (!('args' in fieldConfig)) return fieldConfig;
      return { ...fieldConfig, args: reachedArguments(roles, coordinate, fieldConfig.args) };
    },
  });
  return pruneSchema(cut);
}
