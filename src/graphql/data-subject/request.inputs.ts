import { IsUUID, Length, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { IsCallerChannel } from '../consents/channel-validator';
import type { ConsentChannel } from '../../consents/consent-vocabulary';
import { PageArgs } from '../connection';
import { ConsentChannelEnum, RequestKindEnum, RequestStatusEnum } from '../../vocabulary/enums';
import { IsNotBlank } from '../validators';
import type { RequestKind } from '../../policy';
import type { RequestStatus } from '../../data-subject/request-vocabulary';

@InputType('DataSubjectRequestInput')
export class DataSubjectRequestInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a customer id' })
  customerId: string;

  @Field(() => RequestKindEnum)
  kind: RequestKind;

  @Field(() => ConsentChannelEnum, { description: 'Where the person made the request.' })
  @IsCallerChannel()
  channel: ConsentChannel;

  @Field(() => String, { nullable: true, description: 'What was asked, in brief (at most 2000 characters).' })
  @MaxLength(2000)
  note?: string;
}

@ArgsType()
export class RequestIdArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a data-subject request id' })
  id: string;
}

@ArgsType()
export class CloseRequestArgs extends RequestIdArgs {
  @Field({ description: 'What was done, for the record (1 to 2000 characters).' })
  @IsNotBlank()
  @Length(1, 2000)
  outcome: string;
}

@ArgsType()
export class RequestsArgs extends PageArgs {
  @Field(() => RequestStatusEnum, { nullable: true })
  status?: RequestStatus;

  @Field(() => Boolean, { nullable: true, description: 'Only those past (true) or within (false) a deadline.' })
  overdue?: boolean;
}
