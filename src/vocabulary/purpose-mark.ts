import { DirectiveLocation, GraphQLDirective, GraphQLList, GraphQLNonNull, type GraphQLEnumType } from 'graphql';
import { Directive, Field } from 'type-graphql';
import { PROTECTED_FIELDS, type ProtectedField, type Purpose } from '../policy';

/**
 * The metadata side of the `@purpose` directive, for the entities: what they import to
 * mark a personal field. It depends on the policy rules and nothing of the gateway, so an
 * entity never reaches the request context through it; `enforcePurposes` (in
 * `enforce-purposes.ts`) reads these marks and applies the policy.
 */

/** `directive @purpose(allow: [Purpose!]!) on FIELD_DEFINITION`, defined here once. */
export const PURPOSE_DIRECTIVE = {
  name: 'purpose',
  /** The argument listing the purposes that may read the field. */
  argument: 'allow',
  description: 'The purposes for which this personal field may be read.',
} as const;

/** The directive's definition, over the schema's own `Purpose` enum. */
export function purposeDirective(purposeType: GraphQLEnumType): GraphQLDirective {
  return new GraphQLDirective({
    name: PURPOSE_DIRECTIVE.name,
    description: PURPOSE_DIRECTIVE.description,
    locations: [DirectiveLocation.FIELD_DEFINITION],
    args: {
      [PURPOSE_DIRECTIVE.argument]: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(purposeType))) },
    },
  });
}

/** `@purpose(allow: [A, B])`, as it is attached to a field. */
function purposeTag(purposes: readonly Purpose[]): string {
  return `@${PURPOSE_DIRECTIVE.name}(${PURPOSE_DIRECTIVE.argument}: [${purposes.join(', ')}])`;
}

type ReturnTypeFunc = Extract<Parameters<typeof Field>[0], (...args: never[]) => unknown>;

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
  const directiveDecorator = Directive(purposeTag(PROTECTED_FIELDS[field].purposes));
  return (target, propertyKey, descriptor) => {
    directiveDecorator(target, propertyKey, descriptor as PropertyDescriptor);
    fieldDecorator(target, propertyKey, descriptor as PropertyDescriptor);
  };
}
