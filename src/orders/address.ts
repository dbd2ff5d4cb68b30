import { Field, ObjectType } from 'type-graphql';
import { Column } from 'typeorm';

/** A Vietnamese delivery address; embedded in the shipment row, its columns null once erased. */
@ObjectType('Address', { simpleResolvers: true })
export class Address {
  @Field()
  @Column('text', { nullable: true })
  street: string;

  @Field({ description: 'Phường / xã' })
  @Column('text', { nullable: true })
  ward: string;

  @Field({ description: 'Quận / huyện' })
  @Column('text', { nullable: true })
  district: string;

  @Field({ description: 'Tỉnh / thành phố' })
  @Column('text', { nullable: true })
  province: string;
}
