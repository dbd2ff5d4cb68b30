import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { audienceSchema } from '../../contracts/audience-schema';
import type { Config } from '../../config';
import type { RequestContext } from '../context';
import { gatewayError } from '../errors';
import { logger } from '../../logger';
import { mayRunOnlySafelistedOperations } from '../../policy';
import { readManifest } from '../../contracts/manifest';
import { manifestSafelist, operationHash } from '../disclosure/safelist';

/**
 * Why: carriers are outside processors (design: P8). They may run only the operations registered
 * for carriers (those of contracts/manifest.json valid against the carriers' schema), by id
 * or by full text, so what they can ask for is reviewed before it runs rather than
 * whatever a carrier's token can reach.
 * With SAFELIST=warn an unregistered operation runs and is logged.
 */
export function carrierSafelist(
  schema: GraphQLSchema,
  config: Pick<Config, 'contractsDir' | 'safelist'>,
): ApolloServerPlugin<RequestContext> {
  const safelist = manifestSafelist(readManifest(config.contractsDir), audienceSchema(schema, 'carrier'));
  return {
    async requestDidStart() {
      return {
        // Not async: a refusal thrown here stops Apollo before the later plugins' hooks start.
        didResolveOperation({ contextValue, document, operation, operationName }) {
          const { principal } = contextValue;
          if (principal === undefined || !mayRunOnlySafelistedOperations(principal)) return Promise.resolve();
          if (operation !== undefined && safelist.has(operationHash(document, operation))) return Promise.resolve();
          if (config.safelist === 'enforce') {
            throw gatewayError('OPERATION_NOT_ALLOWED', 'this operation is not registered for carrier integrations');
          }
          logger.warn(
            { requestId: contextValue.requestId, operationName },
            'unregistered carrier operation ran (SAFELIST=warn)',
          );
          return Promise.resolve();
        },
      };
    },
  };
}
