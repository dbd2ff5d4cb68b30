import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLFormattedError } from 'graphql';

/**
 * Bounds on what one operation may ask for, all enforced before execution: tokens by
 * graphql-js's parser (so a 10,000-deep document is cut off while parsing), the rest
 * by GraphQL Armor's validation rules. Every operation in contracts/ fits well inside
 * them (a test keeps it so).
 */
export const QUERY_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 20,
  maxCost: 50_000,
} as const;

type Limit = keyof typeof QUERY_LIMITS;

/** Armor reports a rejection only as a message; ours is a marker the formatter turns into a code. */
const MARKER = 'QUERY_TOO_COMPLEX';
const marker = (limit: Limit) => ({ exposeLimits: false, errorMessage: `${MARKER}:${limit}` });

export function queryLimitProtection() {
  return new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ...marker('maxDepth') },
    maxAliases: { n: QUERY_LIMITS.maxAliases, ...marker('maxAliases') },
    // Armor's token plugin re-parses in a plugin hook, where a syntax error becomes a 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, ...marker('maxDirectives') },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, ...marker('maxCost') },
    // Apollo's own plugin already hides "did you mean" suggestions.
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

export const PARSE_OPTIONS = { maxTokens: QUERY_LIMITS.maxTokens };

/** graphql-js's own words when the parser gives up ("more that" is its spelling). */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more tha[nt] \d+ tokens/;

/** Rewrites a rejection by a limit as QUERY_TOO_COMPLEX naming the limit and its value. */
export function queryLimitError(error: GraphQLFormattedError): GraphQLFormattedError | undefined {
  const limit = TOO_MANY_TOKENS.test(error.message)
    ? 'maxTokens'
    : (error.message.match(new RegExp(`${MARKER}:(\\w+)`))?.[1] as Limit | undefined);
  if (!limit || !(limit in QUERY_LIMITS)) return undefined;
  return {
    message: `the operation exceeds ${limit} (${QUERY_LIMITS[limit]})`,
    extensions: { code: MARKER, limit, max: QUERY_LIMITS[limit] },
  };
}
