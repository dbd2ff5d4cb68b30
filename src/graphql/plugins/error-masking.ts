import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../context';
import { logger } from '../../logger';

/**
 * Why: an error no gateway code made on purpose (a bug, a failing database) may quote
 * anything, personal data included. The client gets only "Internal server error", the
 * code, the path and the request id; the log gets the error in full under that request
 * id. Masking is Apollo's `formatError` (`maskInternalError`, which also covers errors
 * raised before a request has a context); this plugin logs and adds the request id,
 * which `formatError` cannot see.
 */

const INTERNAL = 'INTERNAL_SERVER_ERROR';

/** An error without one of the codes clients are promised (ErrorCode in graphql/errors.ts) is internal. */
function isInternal(error: { readonly extensions?: { readonly [key: string]: unknown } }): boolean {
  const code = error.extensions?.code;
  return code === undefined || code === INTERNAL;
}

/** For Apollo's `formatError`: the masked form of an internal error, or undefined for any other. */
export function maskInternalError(formatted: GraphQLFormattedError): GraphQLFormattedError | undefined {
  if (!isInternal(formatted)) return undefined;
  return {
    message: 'Internal server error',
    extensions: { code: INTERNAL },
    ...(formatted.path ? { path: formatted.path } : {}),
  };
}

export function errorMasking(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (!isInternal(error)) continue;
            logger.error(
              { err: unwrapResolverError(error), path: error.path, requestId: contextValue.requestId },
              'internal error',
            );
          }
        },

        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors) return;
          result.errors = result.errors.map((error) =>
            isInternal(error)
              ? { ...error, extensions: { ...error.extensions, requestId: contextValue.requestId } }
              : error,
          );
        },
      };
    },
  };
}
