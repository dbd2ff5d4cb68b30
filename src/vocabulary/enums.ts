import { registerEnumType } from 'type-graphql';
import { CONSENT_CHANNELS, CONSENT_STATUSES } from '../consents/consent-vocabulary';
import { DELIVERY_STATUSES, ORDER_STATUSES } from '../orders/order-lifecycle';
import { CONSENT_TOPICS, PURPOSES, REQUEST_KINDS, ROLES } from '../policy';
import { REQUEST_STATUSES } from '../data-subject/request-vocabulary';

/** type-graphql registers enums from objects; ours are declared as value lists. */
function enumOf<const T extends readonly string[]>(values: T): { [K in T[number]]: K } {
  return Object.fromEntries(values.map((value) => [value, value])) as { [K in T[number]]: K };
}

export const PurposeEnum = enumOf(PURPOSES);
export const RoleEnum = enumOf(ROLES);
export const ConsentTopicEnum = enumOf(CONSENT_TOPICS);
export const ConsentStatusEnum = enumOf(CONSENT_STATUSES);
export const ConsentChannelEnum = enumOf(CONSENT_CHANNELS);
export const OrderStatusEnum = enumOf(ORDER_STATUSES);
export const DeliveryStatusEnum = enumOf(DELIVERY_STATUSES);

registerEnumType(PurposeEnum, { name: 'Purpose', description: 'Why personal data is accessed.' });
registerEnumType(RoleEnum, { name: 'Role', description: 'Who is asking.' });
registerEnumType(ConsentTopicEnum, { name: 'ConsentTopic', description: 'A marketing topic, each its own opt-in.' });
registerEnumType(ConsentStatusEnum, { name: 'ConsentStatus' });
registerEnumType(ConsentChannelEnum, {
  name: 'ConsentChannel',
  description: 'Where the consent was given or withdrawn.',
});
registerEnumType(OrderStatusEnum, { name: 'OrderStatus' });
registerEnumType(DeliveryStatusEnum, { name: 'DeliveryStatus' });

export const RequestKindEnum = enumOf(REQUEST_KINDS);
export const RequestStatusEnum = enumOf(REQUEST_STATUSES);
registerEnumType(RequestKindEnum, {
  name: 'DataSubjectRequestKind',
  description: 'The right a data-subject request exercises.',
});
registerEnumType(RequestStatusEnum, { name: 'DataSubjectRequestStatus' });
