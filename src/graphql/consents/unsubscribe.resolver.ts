import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, Info, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Customer } from '../../customers/customer.entity';
import type { GatewayContext, RequestContext } from '../context';
import { ConsentTopicEnum } from '../../vocabulary/enums';
import { inputError } from '../errors';
import { logger } from '../../logger';
import type { ConsentTopic } from '../../policy';
import { outcomeMessage, UnsubscribeLinkRejected } from '../../consents/unsubscribe-links';

@ObjectType('UnsubscribeResult', { simpleResolvers: true, description: 'What using a one-click unsubscribe link did.' })
export class UnsubscribeResult {
  @Field(() => [ConsentTopicEnum], {
    description: 'The topics this use withdrew (those granted until now); empty when the link was already used.',
  })
  topics: ConsentTopic[];

  @Field({ description: 'The link had been used before: nothing changed, and nothing needed to.' })
  alreadyUsed: boolean;

  @Field({ description: 'What happened, in words for the customer.' })
  message: string;
}

@Resolver()
export class UnsubscribeResolver {
  @Mutation(() => UnsubscribeResult, {
    description:
      'No login: the signed link is the authority. Withdraws its topic (or every topic) on the EMAIL_LINK channel, ' +
      'effective on the very next request. A second use changes nothing; an expired, altered or foreign link is BAD_USER_INPUT.',
  })
  async unsubscribe(@Arg('token') token: string, @Ctx() context: RequestContext): Promise<UnsubscribeResult> {
    try {
      const outcome = await context.unsubscribeLinks.redeem(context.dataSource, token);
      if (!outcome.alreadyUsed) logger.info({ requestId: context.requestId, topics: outcome.topics }, 'unsubscribed');
      return { topics: outcome.topics, alreadyUsed: outcome.alreadyUsed, message: outcomeMessage(outcome) };
    } catch (error) {
      if (error instanceof UnsubscribeLinkRejected) {
        throw inputError(error.message, [{ argumentPath: ['token'], message: error.message }]);
      }
      throw error;
    }
  }
}

@Resolver(() => Customer)
export class CustomerUnsubscribeResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      'A fresh one-click unsubscribe link (for List-Unsubscribe) from the topic, or from every topic when none is given. ' +
      'Only under MARKETING, for a customer whose current consent to the topic (to some topic, when none is given) is ' +
      'GRANTED; null otherwise. Minting it is audited under the caller, who is recorded with the withdrawal it causes.',
  })
  async unsubscribeUrl(
    @Root() customer: Customer,
    @Arg('topic', () => ConsentTopicEnum, { nullable: true }) topic: ConsentTopic | null | undefined,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<string | null> {
    const consents = await context.loaders.consents.load(customer.id);
    const granted = consents.some((consent) => consent.status === 'GRANTED' && (!topic || consent.topic === topic));
    const facts = { ...customer.subjectFacts(), consentGranted: granted };
    if (!context.disclosures.follows('Customer.unsubscribeUrl', customer.id, facts, info.path)) return null;
    return context.unsubscribeLinks.url(customer.id, topic ?? undefined, context.principal.id);
  }
}
