import { ArrayMaxSize, ArrayMinSize, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { IsVietnamesePhone } from '../../customers/contact';
import { PageArgs } from '../connection';
import { DeliveryStatusEnum, OrderStatusEnum } from '../../vocabulary/enums';
import { IsNotBlank } from '../validators';
import { CARRIER_ID_PATTERN, type DeliveryStatus, type OrderStatus } from '../../orders/order-lifecycle';

@InputType('OrderItemInput')
export class OrderItemInput {
  @Field()
  @IsNotBlank()
  @Length(1, 64)
  sku: string;

  @Field()
  @IsNotBlank()
  @Length(1, 200)
  name: string;

  @Field(() => Int)
  @Min(1)
  @Max(1000)
  quantity: number;

  @Field(() => Int, { description: 'Whole đồng.' })
  @Min(0)
  @Max(100_000_000)
  unitPriceVnd: number;
}

@InputType('ShippingInput')
export class ShippingInput {
  @Field()
  @IsNotBlank()
  @Length(1, 200)
  recipientName: string;

  @Field()
  @IsVietnamesePhone()
  recipientPhone: string;

  @Field()
  @IsNotBlank()
  @Length(1, 200)
  street: string;

  @Field()
  @IsNotBlank()
  @Length(1, 100)
  ward: string;

  @Field()
  @IsNotBlank()
  @Length(1, 100)
  district: string;

  @Field()
  @IsNotBlank()
  @Length(1, 100)
  province: string;
}

@InputType('PlaceOrderInput')
export class PlaceOrderInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a customer id' })
  customerId: string;

  @Field(() => [OrderItemInput])
  @ArrayMinSize(1, { message: 'must list at least one item' })
  @ArrayMaxSize(100)
  @ValidateNested()
  items: OrderItemInput[];

  @Field(() => ShippingInput)
  @ValidateNested()
  shipping: ShippingInput;

  @Field({ defaultValue: false, description: 'The customer pays the carrier the order total at the door.' })
  cashOnDelivery: boolean;
}

@ArgsType()
export class OrderIdArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be an order id' })
  orderId: string;
}

@ArgsType()
export class UpdateOrderStatusArgs extends OrderIdArgs {
  @Field(() => OrderStatusEnum)
  status: OrderStatus;
}

@ArgsType()
export class AssignCarrierArgs extends OrderIdArgs {
  @Field()
  @Matches(CARRIER_ID_PATTERN, { message: 'must be a carrier slug like ghn or viettel-post' })
  carrierId: string;

  @Field()
  @IsNotBlank()
  @Length(1, 64)
  trackingNumber: string;
}

@ArgsType()
export class UpdateDeliveryStatusArgs extends OrderIdArgs {
  @Field(() => DeliveryStatusEnum)
  status: DeliveryStatus;
}

@ArgsType()
export class OrdersArgs extends PageArgs {
  @Field(() => OrderStatusEnum, { nullable: true })
  status?: OrderStatus;
}
