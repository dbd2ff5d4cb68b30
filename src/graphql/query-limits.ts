import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationContext,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-size';
import { gatewayError } from './errors';

/**
 * Bounds on what one operation may ask for, all enforced before execution: tokens by
 * graphql-js's parser (so a 10,000-deep document is cut off while parsing), depth,
 * aliases and directives by GraphQL Armor's validation rules, and the cost, which
 * depends on the variables, once the operation is resolved (see `operationCost`).
 * Every operation in contracts/ fits well inside them (a test keeps it so).
 */
export const QUERY_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 20,
  maxCost: 100_000,
} as const;

type Limit = keyof typeof QUERY_LIMITS;

const exceeds = (limit: Limit) => `the operation exceeds ${limit} (${QUERY_LIMITS[limit]})`;

/**
 * Rows an unpaged list of objects (`Order.items`, `Customer.consents`,
 * `Customer.consentHistory`) is taken to hold. A customer has at most 4 consents and an
 * order typically a handful of items (at most 100), so 10 errs high for the common case
 * without refusing a support page over a rare large order.
 */
const UNPAGED_LIST_ROWS = 10;

/**
 * The cost of a field: 1, plus what is selected under it once per row it can return.
 * A page (a field with a `first` argument) returns `first` rows (20 when absent, never
 * counted above the cap of 100 nor below 1), an unpaged list of objects
 * UNPAGED_LIST_ROWS, anything else one. A page's whole selection, `pageInfo` included,
 * is counted per row: simpler, and it only errs high.
 *
 * Worked example, the support page that must pass at its largest (a full page of 100
 * customers × 10 orders each):
 *
 *   customers(first: 100) { edges { cursor node { id fullName email phone
 *     orders(first: 10) { edges { node { id code status placedAt totalVnd
 *       items { sku name quantity unitPriceVnd }
 *       shipment { recipientName recipientPhone address { street ward district province } } } } } } }
 *     pageInfo { hasNextPage endCursor } }
 *
 *   items       1 + 10 × 4 scalars                          =     41
 *   address     1 + 4                                       =      5
 *   shipment    1 + 2 + address 5                           =      8
 *   order node  1 + 5 scalars + items 41 + shipment 8       =     55
 *   orders      1 + 10 × (edges 1 + node 55)                =    561
 *   customer    1 + 4 scalars + orders 561                  =    566
 *   customers   1 + 100 × (edges 1 + cursor 1 + node 566 + pageInfo 3)
 *                                                           = 57,101   (limit 100,000: 1.75× headroom)
 *
 * (At 50 customers × 5 orders the same page costs 14,551.) And the alias × variable bomb
 * that must be refused, with $n = 100:
 *
 *   15 aliases × customers(first: $n) { edges { node { orders(first: $n) { edges { node { id } } } } } }
 *
 *   orders      1 + 100 × (edges 1 + node 1 + id 1)         =    301
 *   customers   1 + 100 × (edges 1 + node 1 + orders 301)   = 30,301 per alias
 *   15 aliases                                              = 454,515  (4.5× the limit)
 *
 * Three such aliases (30,000 orders) still pass; four do not.
 */
const costOfField: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (field.args.some((arg) => arg.name === 'first')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + Math.min(Math.max(first, 1), MAX_PAGE_SIZE) * childComplexity;
  }
  return 1 + (isUnpagedList(type, field) ? UNPAGED_LIST_ROWS : 1) * childComplexity;
};

/** A list of objects that no `first` bounds. A connection's `edges` are its page's rows, already counted by the page. */
function isUnpagedList(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>): boolean {
  if (!isListType(getNullableType(field.type)) || !isCompositeType(getNamedType(field.type))) return false;
  return !(field.name === 'edges' && isObjectType(parent) && 'pageInfo' in parent.getFields());
}

/**
 * Costs already computed, per parsed document (Apollo hands the same one to every request
 * with the same text) and operation name with variables: a carrier polling its deliveries
 * sends the same operation and variables all day, and walking it cost `me` a tenth of its time.
 */
const knownCosts = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number>>>();
const KNOWN_COSTS_PER_DOCUMENT = 100;
const KNOWN_KEY_LENGTH = 1_000;

/**
 * The cost of the named (or only) operation of `document` with these variables.
 * Throws when the variables do not fit their types, and when the document expands to
 * more fields than graphql-query-complexity will walk (10,000, through fragments).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string,
): number {
  let ofSchema = knownCosts.get(schema);
  if (!ofSchema) knownCosts.set(schema, (ofSchema = new WeakMap()));
  let known = ofSchema.get(document);
  if (!known) ofSchema.set(document, (known = new Map()));
  const key = JSON.stringify([operationName ?? null, variables ?? {}]);
  let cost = known.get(key);
  if (cost === undefined) {
    cost = getComplexity({ schema, query: document, variables, operationName, estimators: [costOfField] });
    if (known.size < KNOWN_COSTS_PER_DOCUMENT && key.length <= KNOWN_KEY_LENGTH) known.set(key, cost);
  }
  return cost;
}

function queryTooComplex(limit: Limit): GraphQLError {
  return gatewayError('QUERY_TOO_COMPLEX', exceeds(limit), { limit, max: QUERY_LIMITS[limit] });
}

/**
 * GraphQL Armor's cost rule sees only the document, so `first: $n` would count as the
 * default page whatever $n is. This runs once the variables are known, before execution.
 */
function costLimitPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, operationName, request }) {
          // No such operation, or variables that do not fit their types: execution refuses it (400) and runs nothing.
          if (operation === undefined) return;
          if (getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}).errors) return;
          let cost: number;
          try {
            cost = operationCost(schema, document, request.variables, operationName ?? undefined);
          } catch (error) {
            // The variables fit, so what is left is a document too large to walk.
            throw error instanceof GraphQLError ? queryTooComplex('maxCost') : error;
          }
          if (cost > QUERY_LIMITS.maxCost) throw queryTooComplex('maxCost');
        },
      };
    },
  };
}

/**
 * Armor's rules would throw an error that says the limit only in its message; instead each
 * reports our QUERY_TOO_COMPLEX error, which carries the limit and its value as data.
 */
const refusedAs = (limit: Limit) => ({
  n: QUERY_LIMITS[limit],
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null) => context?.reportError(queryTooComplex(limit))],
});

export function queryLimitProtection() {
  const armor = new ApolloArmor({
    maxDepth: refusedAs('maxDepth'),
    maxAliases: refusedAs('maxAliases'),
    // Armor's token plugin re-parses in a plugin hook, where a syntax error becomes a 500.
    maxTokens: { enabled: false },
    maxDirectives: refusedAs('maxDirectives'),
    costLimit: { enabled: false },
    // Apollo's own plugin already hides "did you mean" suggestions.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return { validationRules: armor.validationRules, plugins: [...armor.plugins, costLimitPlugin()] };
}

export const PARSE_OPTIONS = { maxTokens: QUERY_LIMITS.maxTokens };

/** graphql-js reports too many tokens only in words ("more that" is its spelling). */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more tha[nt] \d+ tokens/;

/**
 * The answer to an operation refused by a limit. Apollo files rejections by validation
 * rules under GRAPHQL_VALIDATION_FAILED, so our error is taken back from `originalError`.
 */
export function queryLimitError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
  if (TOO_MANY_TOKENS.test(formatted.message)) return withoutHttp(queryTooComplex('maxTokens'));
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (original instanceof GraphQLError && original.extensions.code === 'QUERY_TOO_COMPLEX')
    return withoutHttp(original);
  return undefined;
}

function withoutHttp(error: GraphQLError): GraphQLFormattedError {
  const { http: _http, ...extensions } = error.extensions;
  return { message: error.message, extensions };
}
