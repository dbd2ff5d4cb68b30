import { Field, ObjectType } from 'type-graphql';
import { ConsentChannelEnum, ConsentStatusEnum, ConsentTopicEnum } from '../vocabulary/enums';
import type { ConsentTopic } from '../policy';
import type { ConsentChannel, ConsentStatus } from './consent-vocabulary';

/** The current state of one topic, derived from the latest consent record. */
@ObjectType('Consent', { simpleResolvers: true })
export class Consent {
  @Field(() => ConsentTopicEnum)
  topic: ConsentTopic;

  @Field(() => ConsentStatusEnum)
  status: ConsentStatus;

  @Field(() => ConsentChannelEnum, { description: 'Where the latest change was made.' })
  channel: ConsentChannel;

  @Field({ description: 'The privacy notice version shown at the latest change.' })
  policyVersion: string;

  @Field(() => Date, { nullable: true, description: 'When the topic was last granted.' })
  grantedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was withdrawn, if it currently is.' })
  withdrawnAt: Date | null;
}
