import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import type { GatewayContext } from '../context';
import { gatewayError } from '../errors';
import { authorize, inTransaction } from '../guards';
import { mayRecordGrant } from '../../policy';
import { requireCustomer } from '../../customers/customer.store';
import { ConsentChangeArgs } from './consent.inputs';
import { currentConsents, recordConsent } from '../../consents/consent.store';
import { Consent } from '../../consents/consent.type';
import type { ConsentStatus } from '../../consents/consent-vocabulary';

async function changeConsent(
  context: GatewayContext,
  { customerId, topic, channel }: ConsentChangeArgs,
  status: ConsentStatus,
): Promise<Consent> {
  authorize(context, 'RECORD_CONSENT');
  return inTransaction(context, [], async (db: EntityManager) => {
    const customer = await requireCustomer(db, customerId);
    if (status === 'GRANTED' && !mayRecordGrant(customer.subjectFacts())) {
      throw gatewayError(
        'CUSTOMER_DEREGISTERED',
        'this customer has cancelled their registration: no consent is recorded',
        {
          argumentPath: ['customerId'],
        },
      );
    }
    await recordConsent(db, {
      customerId,
      topic,
      status,
      channel,
      actorId: context.principal.id,
      policyVersion: context.policyVersion,
    });
    const consents = (await currentConsents(db, [customerId])).get(customerId) ?? [];
    const current = consents.find((consent) => consent.topic === topic);
    if (!current) throw new Error(`no consent state for ${topic} after recording it`);
    return current;
  });
}

@Resolver(() => Consent)
export class ConsentResolver {
  @Mutation(() => Consent, { description: 'Idempotent: granting a granted topic records nothing new.' })
  grantConsent(@Args() args: ConsentChangeArgs, @Ctx() context: GatewayContext): Promise<Consent> {
    return changeConsent(context, args, 'GRANTED');
  }

  @Mutation(() => Consent, { description: 'Idempotent; takes effect on the very next request.' })
  withdrawConsent(@Args() args: ConsentChangeArgs, @Ctx() context: GatewayContext): Promise<Consent> {
    return changeConsent(context, args, 'WITHDRAWN');
  }
}
