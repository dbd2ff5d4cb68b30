/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation RegisterCustomer($input: RegisterCustomerInput!) {\n  registerCustomer(input: $input) {\n    id\n    createdAt\n  }\n}\n\nmutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    code\n    status\n    totalVnd\n    placedAt\n  }\n}\n\nmutation GrantConsent($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {\n  grantConsent(customerId: $customerId, topic: $topic, channel: $channel) {\n    topic\n    status\n    grantedAt\n  }\n}\n\nmutation WithdrawConsent($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {\n  withdrawConsent(customerId: $customerId, topic: $topic, channel: $channel) {\n    topic\n    status\n    withdrawnAt\n  }\n}": typeof types.RegisterCustomerDocument,
    "query CustomerLookup($search: String!, $first: Int) {\n  customers(search: $search, first: $first) {\n    edges {\n      node {\n        id\n        fullName\n        email\n        phone\n        createdAt\n        consents {\n          topic\n          status\n          channel\n          policyVersion\n          grantedAt\n          withdrawnAt\n        }\n        orders(first: 5) {\n          edges {\n            node {\n              id\n              code\n              status\n              totalVnd\n              placedAt\n            }\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.CustomerLookupDocument,
    "mutation ConfirmOrder($orderId: ID!) {\n  updateOrderStatus(orderId: $orderId, status: CONFIRMED) {\n    id\n    status\n  }\n}\n\nmutation AssignCarrier($orderId: ID!, $carrierId: String!, $trackingNumber: String!) {\n  assignCarrier(\n    orderId: $orderId\n    carrierId: $carrierId\n    trackingNumber: $trackingNumber\n  ) {\n    id\n    shipment {\n      carrierId\n      trackingNumber\n      status\n    }\n  }\n}": typeof types.ConfirmOrderDocument,
    "query MarketingAudience($topic: ConsentTopic!, $first: Int, $after: String) {\n  marketingAudience(topic: $topic, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        unsubscribeUrl(topic: $topic)\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.MarketingAudienceDocument,
    "query Me {\n  me {\n    id\n    role\n    purposes\n    carrierId\n  }\n}": typeof types.MeDocument,
    "query OrderQueue($status: OrderStatus, $first: Int, $after: String) {\n  orders(status: $status, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        code\n        status\n        placedAt\n        totalVnd\n        items {\n          sku\n          name\n          quantity\n          unitPriceVnd\n        }\n        customer {\n          id\n          fullName\n          email\n          phone\n        }\n        shipment {\n          carrierId\n          trackingNumber\n          status\n          recipientName\n          recipientPhone\n          address {\n            street\n            ward\n            district\n            province\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.OrderQueueDocument,
};
const documents: Documents = {
    "mutation RegisterCustomer($input: RegisterCustomerInput!) {\n  registerCustomer(input: $input) {\n    id\n    createdAt\n  }\n}\n\nmutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    code\n    status\n    totalVnd\n    placedAt\n  }\n}\n\nmutation GrantConsent($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {\n  grantConsent(customerId: $customerId, topic: $topic, channel: $channel) {\n    topic\n    status\n    grantedAt\n  }\n}\n\nmutation WithdrawConsent($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {\n  withdrawConsent(customerId: $customerId, topic: $topic, channel: $channel) {\n    topic\n    status\n    withdrawnAt\n  }\n}": types.RegisterCustomerDocument,
    "query CustomerLookup($search: String!, $first: Int) {\n  customers(search: $search, first: $first) {\n    edges {\n      node {\n        id\n        fullName\n        email\n        phone\n        createdAt\n        consents {\n          topic\n          status\n          channel\n          policyVersion\n          grantedAt\n          withdrawnAt\n        }\n        orders(first: 5) {\n          edges {\n            node {\n              id\n              code\n              status\n              totalVnd\n              placedAt\n            }\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.CustomerLookupDocument,
    "mutation ConfirmOrder($orderId: ID!) {\n  updateOrderStatus(orderId: $orderId, status: CONFIRMED) {\n    id\n    status\n  }\n}\n\nmutation AssignCarrier($orderId: ID!, $carrierId: String!, $trackingNumber: String!) {\n  assignCarrier(\n    orderId: $orderId\n    carrierId: $carrierId\n    trackingNumber: $trackingNumber\n  ) {\n    id\n    shipment {\n      carrierId\n      trackingNumber\n      status\n    }\n  }\n}": types.ConfirmOrderDocument,
    "query MarketingAudience($topic: ConsentTopic!, $first: Int, $after: String) {\n  marketingAudience(topic: $topic, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        unsubscribeUrl(topic: $topic)\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.MarketingAudienceDocument,
    "query Me {\n  me {\n    id\n    role\n    purposes\n    carrierId\n  }\n}": types.MeDocument,
    "query OrderQueue($status: OrderStatus, $first: Int, $after: String) {\n  orders(status: $status, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        code\n        status\n        placedAt\n        totalVnd\n        items {\n          sku\n          name\n          quantity\n          unitPriceVnd\n        }\n        customer {\n          id\n          fullName\n          email\n          phone\n        }\n        shipment {\n          carrierId\n          trackingNumber\n          status\n          recipientName\n          recipientPhone\n          address {\n            street\n            ward\n            district\n            province\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.OrderQueueDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RegisterCustomer($input: RegisterCustomerInput!) {\n  registerCustomer(input: $input) {\n    id\n    createdAt\n  }\n}\n\nmutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    code\n    status\n    totalVnd\n    placedAt\n  }\n}\n\nmutation GrantConsent($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {\n  grantConsent(customerId: $customerId, topic: $topic, channel: $channel) {\n    topic\n    status\n    grantedAt\n  }\n}\n\nmutation WithdrawConsent($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {\n  withdrawConsent(customerId: $customerId, topic: $topic, channel: $channel) {\n    topic\n    status\n    withdrawnAt\n  }\n}"): (typeof documents)["mutation RegisterCustomer($input: RegisterCustomerInput!) {\n  registerCustomer(input: $input) {\n    id\n    createdAt\n  }\n}\n\nmutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    id\n    code\n    status\n    totalVnd\n    placedAt\n  }\n}\n\nmutation GrantConsent($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {\n  grantConsent(customerId: $customerId, topic: $topic, channel: $channel) {\n    topic\n    status\n    grantedAt\n  }\n}\n\nmutation WithdrawConsent($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {\n  withdrawConsent(customerId: $customerId, topic: $topic, channel: $channel) {\n    topic\n    status\n    withdrawnAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CustomerLookup($search: String!, $first: Int) {\n  customers(search: $search, first: $first) {\n    edges {\n      node {\n        id\n        fullName\n        email\n        phone\n        createdAt\n        consents {\n          topic\n          status\n          channel\n          policyVersion\n          grantedAt\n          withdrawnAt\n        }\n        orders(first: 5) {\n          edges {\n            node {\n              id\n              code\n              status\n              totalVnd\n              placedAt\n            }\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query CustomerLookup($search: String!, $first: Int) {\n  customers(search: $search, first: $first) {\n    edges {\n      node {\n        id\n        fullName\n        email\n        phone\n        createdAt\n        consents {\n          topic\n          status\n          channel\n          policyVersion\n          grantedAt\n          withdrawnAt\n        }\n        orders(first: 5) {\n          edges {\n            node {\n              id\n              code\n              status\n              totalVnd\n              placedAt\n            }\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConfirmOrder($orderId: ID!) {\n  updateOrderStatus(orderId: $orderId, status: CONFIRMED) {\n    id\n    status\n  }\n}\n\nmutation AssignCarrier($orderId: ID!, $carrierId: String!, $trackingNumber: String!) {\n  assignCarrier(\n    orderId: $orderId\n    carrierId: $carrierId\n    trackingNumber: $trackingNumber\n  ) {\n    id\n    shipment {\n      carrierId\n      trackingNumber\n      status\n    }\n  }\n}"): (typeof documents)["mutation ConfirmOrder($orderId: ID!) {\n  updateOrderStatus(orderId: $orderId, status: CONFIRMED) {\n    id\n    status\n  }\n}\n\nmutation AssignCarrier($orderId: ID!, $carrierId: String!, $trackingNumber: String!) {\n  assignCarrier(\n    orderId: $orderId\n    carrierId: $carrierId\n    trackingNumber: $trackingNumber\n  ) {\n    id\n    shipment {\n      carrierId\n      trackingNumber\n      status\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MarketingAudience($topic: ConsentTopic!, $first: Int, $after: String) {\n  marketingAudience(topic: $topic, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        unsubscribeUrl(topic: $topic)\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query MarketingAudience($topic: ConsentTopic!, $first: Int, $after: String) {\n  marketingAudience(topic: $topic, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        unsubscribeUrl(topic: $topic)\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    role\n    purposes\n    carrierId\n  }\n}"): (typeof documents)["query Me {\n  me {\n    id\n    role\n    purposes\n    carrierId\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrderQueue($status: OrderStatus, $first: Int, $after: String) {\n  orders(status: $status, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        code\n        status\n        placedAt\n        totalVnd\n        items {\n          sku\n          name\n          quantity\n          unitPriceVnd\n        }\n        customer {\n          id\n          fullName\n          email\n          phone\n        }\n        shipment {\n          carrierId\n          trackingNumber\n          status\n          recipientName\n          recipientPhone\n          address {\n            street\n            ward\n            district\n            province\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query OrderQueue($status: OrderStatus, $first: Int, $after: String) {\n  orders(status: $status, first: $first, after: $after) {\n    edges {\n      node {\n        id\n        code\n        status\n        placedAt\n        totalVnd\n        items {\n          sku\n          name\n          quantity\n          unitPriceVnd\n        }\n        customer {\n          id\n          fullName\n          email\n          phone\n        }\n        shipment {\n          carrierId\n          trackingNumber\n          status\n          recipientName\n          recipientPhone\n          address {\n            street\n            ward\n            district\n            province\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;