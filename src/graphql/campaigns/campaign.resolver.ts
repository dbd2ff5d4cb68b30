import { Arg, Args, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { campaignAudienceSize } from '../../mail/outbox';
import { Connection, PageArgs, pageOf, toConnection } from '../connection';
import type { GatewayContext } from '../context';
import { authorize, inTransaction } from '../guards';
import { Campaign } from '../../campaigns/campaign.entity';
import { CampaignIdArgs, CampaignInput, TopicArgs } from './campaign.inputs';
import { campaignById, campaignKey, campaignsPage, scheduleCampaign } from '../../campaigns/campaign.store';

export const CampaignConnection = Connection('Campaign', Campaign);

/** Campaigns are sent by the gateway: the caller schedules and follows them, and never sees an address. */
@Resolver(() => Campaign)
export class CampaignResolver {
  @Mutation(() => Campaign, { description: "Sends an email to the topic's audience, decided per person when sent." })
  async scheduleCampaign(@Arg('input') input: CampaignInput, @Ctx() context: GatewayContext): Promise<Campaign> {
    authorize(context, 'SCHEDULE_CAMPAIGN');
    return inTransaction(context, ['input'], (db) => scheduleCampaign(db, input, context.principal));
  }

  @Query(() => Campaign, { nullable: true })
  async campaign(@Args() { id }: CampaignIdArgs, @Ctx() context: GatewayContext): Promise<Campaign | null> {
    authorize(context, 'SCHEDULE_CAMPAIGN');
    return campaignById(context.dataSource.manager, id);
  }

  @Query(() => Int, { description: 'How many customers a campaign on the topic would go to now: a count, never who.' })
  async campaignAudienceSize(@Args() { topic }: TopicArgs, @Ctx() context: GatewayContext): Promise<number> {
    authorize(context, 'SCHEDULE_CAMPAIGN');
    return campaignAudienceSize(context.dataSource.manager, topic);
  }

  @Query(() => CampaignConnection, { description: 'Newest first.' })
  async campaigns(@Args() args: PageArgs, @Ctx() context: GatewayContext) {
    authorize(context, 'SCHEDULE_CAMPAIGN');
    const page = pageOf(args);
    return toConnection(await campaignsPage(context.dataSource.manager, page), page, campaignKey);
  }
}
