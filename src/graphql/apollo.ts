import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { logger } from '../logger';
import type { GatewayContext } from './context';
import { denialError } from './errors';

const INTERNAL = 'INTERNAL_SERVER_ERROR';

function isInternal(error: GraphQLFormattedError): boolean {
  const code = error.extensions?.code;
  return code === undefined || code === INTERNAL;
}

/**
 * Adds one error per withheld coordinate and reason, logs internal errors in full with
 * the request id, and gives the client only that id for them.
 */
const disclosuresAndErrors: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
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
        const withheld = contextValue.disclosures?.withheld() ?? [];
        errors.push(...withheld.map((denial) => denialError(denial).toJSON()));
        if (errors.length > 0) result.errors = errors;
      },
    };
  },
};

export function createApollo(schema: GraphQLSchema, { production }: { production: boolean }): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // "Did you mean …" would name fields a principal cannot read.
    hideSchemaDetailsFromClientErrors: true,
    csrfPrevention: true,
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginDisableSuggestions(), disclosuresAndErrors],
    formatError: (formatted) =>
      isInternal(formatted)
        ? { message: 'Internal server error', extensions: { code: INTERNAL }, ...(formatted.path ? { path: formatted.path } : {}) }
        : formatted,
  });
}
