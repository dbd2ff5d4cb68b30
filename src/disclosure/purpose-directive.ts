import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  DirectiveLocation,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLSchema,
  isNonNullType,
} from 'graphql';
import { Directive, Field } from 'type-graphql';
import { isPolicySubject } from './request-disclosures';
import { isProtectedField, PROTECTED_FIELDS, type ProtectedField } from '../policy';
import type { GatewayContext } from '../graphql/context';

const DIRECTIVE = 'purpose';

type ReturnTypeFunc = Extract<Parameters<typeof Field>[0], (...args: never[]) => unknown>;

function allowListOf(field: ProtectedField): string {
  return `[${PROTECTED_FIELDS[field].purposes.join(', ')}]`;
}

/**
 * Declares a field that holds personal data. It is nullable (a withheld value is null
 * without wiping out its parent) and carries `@purpose(allow: …)` generated from the
 * policy rules, which `enforcePurposes` turns into a check on every resolution.
 */
export function Protected(
  field: ProtectedField,
  type: ReturnTypeFunc = () => String,
): (target: object, propertyKey: string | symbol, descriptor?: PropertyDescriptor) => void {
  const fieldDecorator = Field(type, {
    nullable: true,
    description: `Personal data (${PROTECTED_FIELDS[field].category}); null unless the policy allows it.`,
  });
  const directiveDecorator = Directive(`@${DIRECTIVE}(allow: ${allowListOf(field)})`);
  return (target, propertyKey, descriptor) => {
    directiveDecorator(target, propertyKey, descriptor as PropertyDescriptor);
    fieldDecorator(target, propertyKey, descriptor as PropertyDescriptor);
  };
}

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
    directives: [
      ...schema.getDirectives(),
      new GraphQLDirective({
        name: DIRECTIVE,
        description: 'The purposes for which this personal field may be read.',
        locations: [DirectiveLocation.FIELD_DEFINITION],
        args: { allow: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(purposeType))) } },
      }),
    ],
  });

  const guarded = new Set<string>();
  const enforced = mapSchema(withDirective, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const coordinate = `${typeName}.${fieldName}`;
      const tag = getDirective(withDirective, fieldConfig, DIRECTIVE)?.[0];
      if (!tag) {
        if (isProtectedField(coordinate)) throw new Error(`${coordinate} holds personal data but has no @purpose`);
        return fieldConfig;
      }
      if (!isProtectedField(coordinate)) throw new Error(`${coordinate} has @purpose but no policy rule`);
      if (String(tag.allow) !== String(PROTECTED_FIELDS[coordinate].purposes)) {
        throw new Error(`${coordinate}: @purpose(allow: ${tag.allow}) disagrees with the policy rules`);
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

  const unguarded = Object.keys(PROTECTED_FIELDS).filter((field) => !guarded.has(field));
  if (unguarded.length > 0) throw new Error(`protected fields missing from the schema: ${unguarded.join(', ')}`);
  return enforced;
}
