import { ArrayUnique, IsEmail, Length, MaxLength } from 'class-validator';
import { IsCallerChannel } from '../consents/channel-validator';
import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs } from '../connection';
import type { ConsentChannel } from '../../consents/consent-vocabulary';
import { ConsentChannelEnum, ConsentTopicEnum } from '../../vocabulary/enums';
import type { ConsentTopic } from '../../policy';
import { IsVietnamesePhone } from '../../customers/contact';
import { IsNotBlank } from '../validators';

@InputType('RegisterCustomerInput')
export class RegisterCustomerInput {
  @Field()
  @IsNotBlank()
  @Length(1, 200)
  fullName: string;

  @Field()
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email: string;

  @Field({ description: 'Vietnamese number in any usual form; stored as E.164.' })
  @IsVietnamesePhone()
  phone: string;

  @Field(() => [ConsentTopicEnum], { description: 'Topics the customer opted in to at sign-up; may be empty.' })
  @ArrayUnique({ message: 'lists a topic twice' })
  consents: ConsentTopic[];

  @Field(() => ConsentChannelEnum, { defaultValue: 'ACCOUNT', description: 'Where the consents were given.' })
  @IsCallerChannel()
  consentChannel: ConsentChannel;
}

@ArgsType()
export class CustomersArgs extends PageArgs {
  @Field({ nullable: true, description: 'Matches name, email or phone, as far as the purpose may read them.' })
  @IsNotBlank()
  @Length(2, 100)
  search?: string;
}

@ArgsType()
export class MarketingAudienceArgs extends PageArgs {
  @Field(() => ConsentTopicEnum)
  topic: ConsentTopic;
}
