import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { auditResponse, loadDisclosureBudget } from '../audit/audit-request';
import { touchesPersonalData } from '../disclosures/touches-personal-data';
import type { Config } from '../config';
import { isAnonymousDocument } from '../consents/anonymous-operation';
import { logger } from '../logger';
import { mayRunOnlySafelistedOperations } from '../policy';
import { databaseTimeoutPlugin } from './bounded-waits';
import type { RequestContext } from './context';
import { denialError, gatewayError } from './errors';
import { PARSE_OPTIONS, queryLimitError, queryLimitProtection } from './query-limits';
import { loadSafelist, operationHash } from './safelist';

const INTERNAL = 'INTERNAL_SERVER_ERROR';

function isInternal(error: GraphQLFormattedError): boolean {
  const code = error.extensions?.code;
  return code === undefined || code === INTERNAL;
}

type ApolloConfig = Pick<Config, 'production' | 'disclosureLimits' | 'contractsDir' | 'safelist'>;

/**
 * Around each operation of an authenticated principal:
 * - before execution: refuses a carrier's unregistered operation, and loads the
 *   principal's disclosure budget;
 * - after: writes the audit (or takes the released values back), adds one error per
 *   withheld coordinate and reason, and gives internal errors only a request id, while
 *   logging them in full.
 */
function gatewayPlugin(config: ApolloConfig): ApolloServerPlugin<RequestContext> {
  const safelist = loadSafelist(`${config.contractsDir}/carrier`);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation, operationName, schema }) {
          // No token: only the lone unsubscribe mutation (the context let nothing else through either).
          if (contextValue.principal === undefined) {
            if (!isAnonymousDocument(document)) {
              throw gatewayError('UNAUTHENTICATED', 'send Authorization: Bearer <token>');
            }
            return;
          }
          const registered = operation !== undefined && safelist.has(operationHash(document, operation));
          if (mayRunOnlySafelistedOperations(contextValue.principal) && !registered) {
            if (config.safelist === 'enforce') {
              throw gatewayError('OPERATION_NOT_ALLOWED', 'this operation is not registered for carrier integrations');
            }
            logger.warn(
              { requestId: contextValue.requestId, operationName },
              'unregistered carrier operation ran (SAFELIST=warn)',
            );
          }
          // Only an operation that can release personal data needs the budget read first.
          if (touchesPersonalData(schema, document)) await loadDisclosureBudget(contextValue, config.disclosureLimits);
        },

        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code === undefined || code === INTERNAL) {
              logger.error(
                { err: unwrapResolverError(error), path: error.path, requestId: contextValue.requestId },
                'internal error',
              );
            }
          }
        },

        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const errors = (result.errors ?? []).map((error) =>
            isInternal(error)
              ? { ...error, extensions: { ...error.extensions, requestId: contextValue.requestId } }
              : error,
          );
          // Absent when the request was refused before it had a context (401, 403, 429).
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

export function createApollo(schema: GraphQLSchema, config: ApolloConfig): ApolloServer<RequestContext> {
  const limits = queryLimitProtection();
  return new ApolloServer<RequestContext>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    // "Did you mean …" would name fields a principal cannot read.
    hideSchemaDetailsFromClientErrors: true,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts stops on SIGTERM itself: HTTP first, then Apollo (Apollo's own handler would stop it first, then re-raise).
    stopOnTerminationSignals: false,
    parseOptions: PARSE_OPTIONS,
    validationRules: limits.validationRules,
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDisableSuggestions(),
      ...limits.plugins,
      databaseTimeoutPlugin(),
      gatewayPlugin(config),
    ],
    formatError: (formatted) => {
      if (isInternal(formatted)) {
        return {
          message: 'Internal server error',
          extensions: { code: INTERNAL },
          ...(formatted.path ? { path: formatted.path } : {}),
        };
      }
      return queryLimitError(formatted) ?? formatted;
    },
  });
}
