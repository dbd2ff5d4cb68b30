import { Field, ObjectType } from 'type-graphql';
import { Column } from 'typeorm';

/** A Vietnamese delivery address; embedded in the shipment row. */
@ObjectType('Address')
export class Address {
  @Field()
  @Column()
  street: string;

  @Field({ description: 'Phường / xã' })
  @Column()
  ward: string;

  @Field({ description: 'Quận / huyện' })
  @Column()
  district: string;

  @Field({ description: 'Tỉnh / thành phố' })
  @Column()
  province: string;
}
