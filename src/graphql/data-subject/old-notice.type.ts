import { Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../connection';

@ObjectType('NoticeVersionCount', { simpleResolvers: true })
export class NoticeVersionCount {
  @Field(() => String, { nullable: true, description: 'Null for customers registered before acceptance was recorded.' })
  version: string | null;

  @Field(() => Int)
  customers: number;
}

@ObjectType('CustomersOnOldNotice', {
  simpleResolvers: true,
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
