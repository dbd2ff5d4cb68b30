import { TypeInfo, visit, visitWithTypeInfo, BREAK, type DocumentNode, type GraphQLSchema } from 'graphql';
import { isProtectedField, REACH, SEARCHES, type Entry } from '../policy';

const SEARCH_ARGUMENTS: ReadonlySet<string> = new Set(Object.keys(SEARCHES));

/** Entries that hand out something naming their subject (a link): they spend the budget like a read. */
const DISCLOSING_ENTRIES: ReadonlySet<string> = new Set(
  (Object.keys(REACH) as Entry[]).filter((entry) => REACH[entry].disclosesSubject),
);

/**
 * Whether a document may use personal data in a way that spends the disclosure budget:
 * it selects a protected field, takes an entry that discloses its subject, or passes a
 * search argument matched against protected fields. Fragments count whether or not the
 * operation spreads them: an over-approximation is safe here, since it only decides
 * whether the principal's budget must be read first.
 */
export function touchesPersonalData(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let touches = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return undefined;
        const coordinate = `${parent.name}.${node.name.value}`;
        const searches = node.arguments?.some((argument) =>
          SEARCH_ARGUMENTS.has(`${coordinate}.${argument.name.value}`),
        );
        if (isProtectedField(coordinate) || DISCLOSING_ENTRIES.has(coordinate) || searches) {
          touches = true;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  return touches;
}
