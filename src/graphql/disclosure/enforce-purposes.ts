import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, GraphQLEnumType, GraphQLSchema, isNonNullType } from 'graphql';
import type { GatewayContext } from '../context';
import { isProtectedField, PROTECTED_FIELDS, type ProtectedField } from '../../policy';
import { PURPOSE_DIRECTIVE, purposeDirective } from '../../vocabulary/purpose-mark';
import { isPolicySubject } from '../../audit/disclosure-terms';

/**
 * Adds the `@purpose` definition to the schema and wraps each tagged field's resolver
 * with the policy check. Refuses a schema whose tags and policy rules disagree, so a
 * personal field can never be served unguarded.
 */
export function enforcePurposes(schema: GraphQLSchema): GraphQLSchema {
  const purposeType = schema.getType('Purpose');
  if (!(purposeType instanceof GraphQLEnumType)) throw new Error('schema has no Purpose enum');
  const withDirective = new GraphQLSchema({
    ...schema.toConfig(),
    directives: [...schema.getDirectives(), purposeDirective(purposeType)],
  });

  const guarded = new Set<ProtectedField>();
  const enforced = mapSchema(withDirective, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const coordinate = `${typeName}.${fieldName}`;
      const tag = getDirective(withDirective, fieldConfig, PURPOSE_DIRECTIVE.name)?.[0];
      if (!tag) {
        if (isProtectedField(coordinate)) throw new Error(`${coordinate} holds personal data but has no @purpose`);
        return fieldConfig;
      }
      if (!isProtectedField(coordinate)) throw new Error(`${coordinate} has @purpose but no policy rule`);
      const allow = tag[PURPOSE_DIRECTIVE.argument];
      if (String(allow) !== String(PROTECTED_FIELDS[coordinate].purposes)) {
        throw new Error(`${coordinate}: @purpose(allow: ${allow}) disagrees with the policy rules`);
      }
      if (isNonNullType(fieldConfig.type)) throw new Error(`${coordinate} has @purpose but is non-null`);
      guarded.add(coordinate);

      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        resolve: (source, args, context: GatewayContext, info) => {
          if (!isPolicySubject(source)) {
            throw new Error(`${coordinate} resolved on a value that states no policy facts`);
          }
          return context.disclosures.permits(coordinate, source, info) ? resolve(source, args, context, info) : null;
        },
      };
    },
  });

  const unguarded = (Object.keys(PROTECTED_FIELDS) as ProtectedField[]).filter((field) => !guarded.has(field));
  if (unguarded.length > 0) throw new Error(`protected fields missing from the schema: ${unguarded.join(', ')}`);
  return enforced;
}
