import { Field, ObjectType } from 'type-graphql';
import type { ConsentChannel } from '../consents/consent-vocabulary';
import { ConsentChannelEnum } from '../vocabulary/enums';

/** Which privacy notice the customer accepted when their data was collected, when and where. */
@ObjectType('PrivacyNotice', { simpleResolvers: true })
export class PrivacyNotice {
  @Field({ description: 'The POLICY_VERSION of the notice shown.' })
  version: string;

  @Field()
  acceptedAt: Date;

  @Field(() => ConsentChannelEnum)
  channel: ConsentChannel;
}
