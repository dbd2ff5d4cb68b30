import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentTopicEnum } from '../vocabulary/enums';
import type { ConsentTopic } from '../policy';

export const CAMPAIGN_STATUSES = ['SCHEDULED', 'SENDING', 'FINISHED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
const CampaignStatusEnum = Object.fromEntries(CAMPAIGN_STATUSES.map((status) => [status, status]));
registerEnumType(CampaignStatusEnum, {
  name: 'CampaignStatus',
  description:
    'SCHEDULED until sendAt, SENDING while messages are left, FINISHED once each is sent, skipped or failed.',
});

/** How a campaign's messages stand, counted from the outbox: never who they went to. */
export interface DeliveryCounts {
  recipients: number;
  sent: number;
  skipped: number;
  failed: number;
}

/**
 * An email campaign MARKETING asked the gateway to send to a topic's audience. It never
 * names a recipient: the audience is decided per person when each message is sent.
 */
@ObjectType('Campaign', { simpleResolvers: true })
@Entity('campaigns')
export class Campaign {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ConsentTopicEnum)
  @Column('text')
  topic: ConsentTopic;

  @Field()
  @Column('text')
  subject: string;

  /** Dropped once the campaign is finished. */
  @Column('text', { name: 'text_template', nullable: true })
  textTemplate: string | null;

  @Column('text', { name: 'html_template', nullable: true })
  htmlTemplate: string | null;

  @Field()
  @Column({ type: 'timestamptz', name: 'send_at', precision: 3 })
  sendAt: Date;

  @Column('text', { name: 'scheduled_by' })
  scheduledBy: string;

  @Column('text', { name: 'scheduled_role' })
  scheduledRole: string;

  @Column({ type: 'timestamptz', name: 'finished_at', precision: 3, nullable: true })
  finishedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field(() => Int, { description: 'Messages queued for the audience at scheduling (an erased person’s is removed).' })
  recipients: number;

  @Field(() => Int)
  sent: number;

  @Field(() => Int, { description: 'Not sent: the policy refused them when their turn came (consent withdrawn, …).' })
  skipped: number;

  @Field(() => Int, { description: 'Given up after the last attempt.' })
  failed: number;

  @Field(() => CampaignStatusEnum)
  get status(): CampaignStatus {
    if (this.finishedAt) return 'FINISHED';
    return this.sendAt.getTime() > Date.now() ? 'SCHEDULED' : 'SENDING';
  }

  withCounts(counts: DeliveryCounts): this {
    return Object.assign(this, counts);
  }
}
