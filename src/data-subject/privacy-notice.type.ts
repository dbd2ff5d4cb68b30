import { Field, Int, ObjectType } from 'type-graphql';
import type { ConsentChannel } from '../consents/consent-vocabulary';
import { ConsentChannelEnum } from '../graphql/enums';
import { PageInfo } from '../graphql/connection';

/** Which privacy notice the customer accepted when their data was collected, when and where. */
@ObjectType('PrivacyNotice')
export class PrivacyNotice {
  @Field({ description: 'The POLICY_VERSION of the notice shown.' })
  version: string;

  @Field()
  acceptedAt: Date;

  @Field(() => ConsentChannelEnum)
  channel: ConsentChannel;
}

@ObjectType('NoticeVersionCount')
export class NoticeVersionCount {
  @Field(() => String, { nullable: true, description: 'Null for customers registered before acceptance was recorded.' })
  version: string | null;

  @Field(() => Int)
  customers: number;
}

@ObjectType('CustomersOnOldNotice', {
  description: 'Registered customers who accepted an older privacy notice, to notify again: counts and ids only.',
})
export class CustomersOnOldNotice {
  @Field()
  currentVersion: string;

  @Field(() => Int)
  total: number;

  @Field(() => [NoticeVersionCount])
  versions: NoticeVersionCount[];

  @Field(() => [String], { description: 'Customer ids, newest first, one page.' })
  customerIds: string[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
