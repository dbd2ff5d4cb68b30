import { Arg, Ctx, Field, FieldResolver, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Customer } from '../customers/customer.entity';
import type { GatewayContext, RequestContext } from '../graphql/context';
import { ConsentTopicEnum } from '../graphql/enums';
import { gatewayError } from '../graphql/errors';
import { logger } from '../logger';
import { resolvePurpose, type ConsentTopic } from '../policy';
import { outcomeMessage, UnsubscribeLinkRejected } from './unsubscribe-links';

@ObjectType('UnsubscribeResult', { description: 'What using a one-click unsubscribe link did.' })
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
      const outcome = await context.unsubscribeLinks.redeem(context.db, token);
      if (!outcome.alreadyUsed) logger.info({ requestId: context.requestId, topics: outcome.topics }, 'unsubscribed');
      return { topics: outcome.topics, alreadyUsed: outcome.alreadyUsed, message: outcomeMessage(outcome) };
    } catch (error) {
      if (error instanceof UnsubscribeLinkRejected) {
        const problem = { argumentPath: ['token'], message: error.message };
        throw gatewayError('BAD_USER_INPUT', error.message, {
          argumentPath: problem.argumentPath,
          invalidArguments: [problem],
        });
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
      'Only for requests acting under MARKETING; null otherwise.',
  })
  async unsubscribeUrl(
    @Root() customer: Customer,
    @Arg('topic', () => ConsentTopicEnum, { nullable: true }) topic: ConsentTopic | null | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<string | null> {
    const purpose = resolvePurpose(context.principal, context.declaredPurpose);
    if (!purpose.allowed || purpose.purpose !== 'MARKETING') {
      context.disclosures.withhold(
        'Customer.unsubscribeUrl',
        purpose.allowed ? 'PURPOSE_NOT_ALLOWED' : purpose.reason,
        customer.id,
      );
      return null;
    }
    return context.unsubscribeLinks.url(customer.id, topic ?? undefined);
  }
}
