import { IsUUID, Length, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConsentTopicEnum } from '../../vocabulary/enums';
import { IsNotBlank, MultiLineText } from '../validators';
import type { ConsentTopic } from '../../policy';

@InputType('CampaignInput')
export class CampaignInput {
  @Field(() => ConsentTopicEnum, {
    description: 'Sent only to customers who consent to this topic when their turn comes.',
  })
  topic: ConsentTopic;

  @Field({ description: 'Sent as written: placeholders are filled in the text and html only.' })
  @IsNotBlank()
  @Length(1, 200)
  subject: string;

  @Field({ description: 'The plain-text body; may use {{firstName}}, {{fullName}} and {{unsubscribeUrl}}.' })
  @IsNotBlank()
  @MaxLength(40_000)
  @MultiLineText()
  text: string;

  @Field({ nullable: true, description: 'An HTML body with the same placeholders; the values are HTML-escaped.' })
  @MaxLength(40_000)
  @MultiLineText()
  html?: string;

  @Field({ nullable: true, description: 'When to start sending; now when omitted.' })
  sendAt?: Date;
}

@ArgsType()
export class CampaignIdArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a campaign id' })
  id: string;
}

@ArgsType()
export class TopicArgs {
  @Field(() => ConsentTopicEnum)
  topic: ConsentTopic;
}
