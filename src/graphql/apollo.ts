import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { auditResponse, loadDisclosureBudget } from '../audit/audit-request';
import type { Config, DisclosureLimits } from '../config';
import { logger } from '../logger';
import type { GatewayContext } from './context';
import { denialError } from './errors';

const INTERNAL = 'INTERNAL_SERVER_ERROR';

function isInternal(error: GraphQLFormattedError): boolean {
  const code = error.extensions?.code;
  return code === undefined || code === INTERNAL;
}

/**
 * Around each operation: loads the principal's disclosure budget before execution;
 * afterwards writes the audit (or takes released values back), adds one error per
 * withheld coordinate and reason, logs internal errors in full with the request id,
 * and gives the client only that id for them.
 */
function disclosuresAndErrors(limits: DisclosureLimits): ApolloServerPlugin<GatewayContext> {
  return {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue }) {
        await loadDisclosureBudget(contextValue, limits);
      },
      async didEncounterErrors({ errors, contextValue }) {
        for (const error of errors) {
          const code = error.extensions?.code;
          if (code === undefined || code === INTERNAL) {
            logger.error({ err: unwrapResolverError(error), path: error.path, requestId: contextValue.requestId }, 'internal error');
          }
        }
      },
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        const errors = (result.errors ?? []).map((error) =>
          isInternal(error) ? { ...error, extensions: { ...error.extensions, requestId: contextValue.requestId } } : error,
        );
        // The context is absent when the request was refused before it was made (401/403).
        if (contextValue.disclosures) {
          errors.push(...(await auditResponse(contextValue, result)));
          errors.push(...contextValue.disclosures.withheld().map((denial) => denialError(denial).toJSON()));
        }
        if (errors.length > 0) result.errors = errors;
      },
    };
  },
  };
}

export function createApollo(
  schema: GraphQLSchema,
  { production, disclosureLimits }: Pick<Config, 'production' | 'disclosureLimits'>,
): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // "Did you mean …" would name fields a principal cannot read.
    hideSchemaDetailsFromClientErrors: true,
    csrfPrevention: true,
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginDisableSuggestions(), disclosuresAndErrors(disclosureLimits)],
    formatError: (formatted) =>
      isInternal(formatted)
        ? { message: 'Internal server error', extensions: { code: INTERNAL }, ...(formatted.path ? { path: formatted.path } : {}) }
        : formatted,
  });
}
