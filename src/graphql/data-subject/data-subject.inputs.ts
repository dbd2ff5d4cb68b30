import { IsUUID } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import type { ConsentChannel } from '../../consents/consent-vocabulary';
import { ConsentChannelEnum } from '../../vocabulary/enums';
import { IsCallerChannel } from '../consents/channel-validator';

@ArgsType()
export class CustomerIdArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a customer id' })
  customerId: string;
}

@ArgsType()
export class DeregisterArgs extends CustomerIdArgs {
  @Field(() => ConsentChannelEnum, { defaultValue: 'ACCOUNT', description: 'Where the customer asked for it.' })
  @IsCallerChannel()
  channel: ConsentChannel;
}
