import { TypeInfo, visit, visitWithTypeInfo, BREAK, type DocumentNode, type GraphQLSchema } from 'graphql';
import { isProtectedField } from '../policy';

/**
 * Whether a document selects any field that holds personal data. Fragments count
 * whether or not the operation spreads them: an over-approximation is safe here, since
 * it only decides whether the principal's disclosure budget must be read first.
 */
export function touchesPersonalData(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let touches = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && isProtectedField(`${parent.name}.${node.name.value}`)) {
          touches = true;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  return touches;
}
