// A carrier's integration, as a carrier's developer would write it: typed documents from
// `npm run codegen` (contracts/generated/carrier), each sent by its persisted id alone.
//
//   GATEWAY_URL=http://localhost:4000/graphql CARRIER_TOKEN=$(npm run -s token -- --role CARRIER --carrier ghn) \
//     npx ts-node --transpile-only examples/carrier-client.ts
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { DeliveriesDocument, type DeliveriesQuery } from '../contracts/generated/carrier/graphql';

export class GatewayError extends Error {
  constructor(readonly codes: string[]) {
    super(`the gateway answered ${codes.join(', ')}`);
  }
}

/** Runs a generated document by the id the manifest gives it: no query text goes over the wire. */
export async function runPersisted<Result, Variables>(
  gatewayUrl: string,
  token: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const { hash } = (document as { __meta__?: { hash: string } }).__meta__ ?? {};
  if (!hash) throw new Error('regenerate the client with persisted documents: npm run codegen');
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
  });
  const reply = (await response.json()) as { data?: Result; errors?: { extensions?: { code?: string } }[] };
  if (reply.errors?.length || !reply.data) {
    throw new GatewayError((reply.errors ?? []).map((error) => error.extensions?.code ?? 'UNKNOWN'));
  }
  return reply.data;
}

export type Delivery = DeliveriesQuery['deliveries']['edges'][number]['node'];

/** Every delivery still under way for this carrier, page by page. */
export async function fetchDeliveries(gatewayUrl: string, token: string, pageSize = 50): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  let after: string | null | undefined;
  do {
    const page: DeliveriesQuery = await runPersisted(gatewayUrl, token, DeliveriesDocument, { first: pageSize, after });
    deliveries.push(...page.deliveries.edges.map((edge) => edge.node));
    after = page.deliveries.pageInfo.hasNextPage ? page.deliveries.pageInfo.endCursor : undefined;
  } while (after);
  return deliveries;
}

/** One line per parcel: what a driver's run sheet needs. */
export function runSheet(deliveries: readonly Delivery[]): string[] {
  return deliveries.map(({ code, shipment }) => {
    const address = shipment?.address;
    const where = address ? `${address.street}, ${address.ward}, ${address.district}, ${address.province}` : '?';
    const cod = shipment?.codAmountVnd ? ` collect ${shipment.codAmountVnd} VND` : '';
    return `${code} ${shipment?.trackingNumber ?? ''} ${shipment?.recipientName ?? '?'} ${shipment?.recipientPhone ?? '?'} ${where}${cod}`;
  });
}

if (require.main === module) {
  const { GATEWAY_URL = 'http://localhost:4000/graphql', CARRIER_TOKEN } = process.env;
  if (!CARRIER_TOKEN) throw new Error('set CARRIER_TOKEN (npm run token -- --role CARRIER --carrier ghn)');
  fetchDeliveries(GATEWAY_URL, CARRIER_TOKEN).then(
    (deliveries) => runSheet(deliveries).forEach((line) => console.log(line)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
