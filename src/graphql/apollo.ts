import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import { anonymousGate } from './plugins/anonymous-gate';
import { carrierSafelist } from './plugins/carrier-safelist';
import { disclosureAudit } from './plugins/disclosure-audit';
import { traceDecisions } from './plugins/trace-decisions';
import { tracingStarted } from '../tracing';
import { errorMasking, maskInternalError } from './plugins/error-masking';
import { databaseTimeoutPlugin } from './bounded-waits';
import type { RequestContext } from './context';
import { PARSE_OPTIONS, queryLimitError, queryLimitProtection } from './query-limits';

type ApolloConfig = Pick<Config, 'production' | 'contractsDir' | 'safelist'>;

/**
 * The Apollo Server of the gateway: settings and the plugins, each of which says why it
 * exists. The gates refuse an operation before it runs; the audit writes what ran.
 */
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
    // Ids are resolved from contracts/manifest.json before Apollo (src/http/persisted-documents.ts):
    // Apollo's automatic persisted queries would let any client register documents.
    persistedQueries: false,
    // main.ts stops on SIGTERM itself: HTTP first, then Apollo (Apollo's own handler would stop it first, then re-raise).
    stopOnTerminationSignals: false,
    parseOptions: PARSE_OPTIONS,
    validationRules: limits.validationRules,
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing pages load from its CDN; the gateway serves its own explorer (src/explorer).
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginDisableSuggestions(),
      ...limits.plugins,
      databaseTimeoutPlugin(),
      anonymousGate(),
      carrierSafelist(schema, config),
      disclosureAudit(tracingStarted() ? traceDecisions() : undefined),
      errorMasking(),
    ],
    formatError: (formatted, error) => maskInternalError(formatted) ?? queryLimitError(formatted, error) ?? formatted,
  });
}
