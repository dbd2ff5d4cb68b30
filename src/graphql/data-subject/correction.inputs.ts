import { IsEmail, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IsVietnamesePhone } from '../../customers/contact';
import { IsNotBlank } from '../validators';

/** What a customer asks to be corrected; checked as at registration. */
@InputType('CorrectCustomerInput')
export class CorrectCustomerInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsNotBlank()
  @Length(1, 200)
  fullName?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email?: string;

  @Field(() => String, { nullable: true, description: 'Vietnamese number in any usual form; stored as E.164.' })
  @IsOptional()
  @IsVietnamesePhone()
  phone?: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Also correct the recipient of open orders; otherwise they keep the shipping block given at checkout.',
  })
  applyToOpenOrders: boolean;
}
