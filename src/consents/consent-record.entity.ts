import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentChannelEnum, ConsentStatusEnum, ConsentTopicEnum } from '../vocabulary/enums';
import type { ConsentTopic } from '../policy';
import type { ConsentChannel, ConsentReason, ConsentStatus } from './consent-vocabulary';

/** One grant or withdrawal, as it was recorded. Never updated (a trigger refuses it). */
@ObjectType('ConsentRecord', {
  simpleResolvers: true,
  description: 'One grant or withdrawal: the proof of what the customer agreed to.',
})
@Entity('consent_records')
export class ConsentRecord {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid', { name: 'customer_id' })
  customerId: string;

  @Field(() => ConsentTopicEnum)
  @Column('text')
  topic: ConsentTopic;

  @Field(() => ConsentStatusEnum)
  @Column('text')
  status: ConsentStatus;

  @Field(() => ConsentChannelEnum)
  @Column('text')
  channel: ConsentChannel;

  /** The version of the privacy notice the customer was shown. */
  @Field({ description: 'The privacy notice version the customer was shown.' })
  @Column({ name: 'policy_version' })
  policyVersion: string;

  /** The principal who recorded it (the storefront, an agent, the customer's own link). */
  @Field({ description: 'Who recorded it: the storefront, an agent, or an unsubscribe link.' })
  @Column({ name: 'actor_id' })
  actorId: string;

  @Field(() => String, {
    nullable: true,
    description: 'For a withdrawal through an unsubscribe link: the principal who issued the link.',
  })
  @Column('text', { name: 'link_issued_by', nullable: true })
  linkIssuedBy: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the gateway withdrew it (channel SYSTEM or an objection): INACTIVITY, LAPSED or OBJECTION.',
  })
  @Column('text', { nullable: true })
  reason: ConsentReason | null;

  @Field()
  @Column({ type: 'timestamptz', name: 'recorded_at', precision: 3, insert: false, update: false })
  recordedAt: Date;
}
