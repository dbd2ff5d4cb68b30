import { IsUUID, Length } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { PageArgs } from '../connection';

@ArgsType()
export class AuditEventsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only events about this customer.' })
  @IsUUID('all', { message: 'must be a customer id' })
  customerId?: string;

  @Field({ nullable: true, description: 'Only events of this principal (the token subject).' })
  @Length(1, 200)
  principalId?: string;

  @Field({ nullable: true, description: 'From this time, inclusive.' })
  from?: Date;

  @Field({ nullable: true, description: 'Until this time, exclusive.' })
  to?: Date;
}
