import { Field, ObjectType } from 'type-graphql';
import { PurposeEnum, RoleEnum } from '../vocabulary/enums';
import type { Purpose, Role } from '../policy';

@ObjectType('Principal', { simpleResolvers: true, description: 'Who the request acts as, from its bearer token.' })
export class PrincipalView {
  @Field()
  id: string;

  @Field(() => RoleEnum)
  role: Role;

  @Field(() => [PurposeEnum], { description: 'The purposes this role may declare in X-Purpose.' })
  purposes: Purpose[];

  @Field(() => String, { nullable: true })
  carrierId: string | null;
}
