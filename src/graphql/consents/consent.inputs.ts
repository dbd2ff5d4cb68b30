import { IsUUID } from 'class-validator';
import { IsCallerChannel } from './channel-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { ConsentChannelEnum, ConsentTopicEnum } from '../../vocabulary/enums';
import type { ConsentTopic } from '../../policy';
import type { ConsentChannel } from '../../consents/consent-vocabulary';

@ArgsType()
export class ConsentChangeArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a customer id' })
  customerId: string;

  @Field(() => ConsentTopicEnum)
  topic: ConsentTopic;

  @Field(() => ConsentChannelEnum, { description: 'Where the customer said it.' })
  @IsCallerChannel()
  channel: ConsentChannel;
}
