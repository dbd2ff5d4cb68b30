import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { ConsentTopic } from '../../src/policy';
import type { Caller, GraphQLResponse, TestGateway } from './gateway';
import { writesThrough } from './mutations';
import { now } from './tokens';

/**
 * One-click unsubscribe (design: P6; RFC 8058): a signed, expiring link per customer and topic
 * (or every topic), used without login by POST /unsubscribe, by the button of the
 * GET page, or by the `unsubscribe` mutation. It withdraws on the EMAIL_LINK channel,
 * effective on the very next request; it works once, and a second use is harmless.
 * A link that is altered, expired, foreign or garbage changes nothing.
 *
 * What its tests (test/consents/unsubscribe-*.test.ts) share: the link MARKETING is
 * given, the POST and GET routes, and the mutation without login.
 */

export const PUBLIC_URL = 'https://privacy.petto.test';
export const STOREFRONT: Caller = { role: 'STOREFRONT' };
const MARKETING: Caller = { role: 'MARKETING' };

const AUDIENCE = `
  query($topic: ConsentTopic!) {
    marketingAudience(topic: $topic, first: 100) { edges { node { id unsubscribeUrl(topic: $topic) } } }
  }`;
const AUDIENCE_EVERY_TOPIC = `
  query($topic: ConsentTopic!) {
    marketingAudience(topic: $topic, first: 100) { edges { node { id unsubscribeUrl } } }
  }`;
export const UNSUBSCRIBE = `
  mutation($token: String!) { unsubscribe(token: $token) { topics alreadyUsed message } }`;

/** The token of an unsubscribe link, which must point at PUBLIC_URL/unsubscribe. */
export function tokenOf(url: string): string {
  const parsed = new URL(url);
  expect(`${parsed.origin}${parsed.pathname}`).toBe(`${PUBLIC_URL}/unsubscribe`);
  return parsed.searchParams.get('token') as string;
}

/** Replaces the character at `index` of the segment with another base64url character. */
export function flip(token: string, segment: 1 | 2, index: number): string {
  const parts = token.split('.');
  const part = parts[segment];
  const i = index < 0 ? part.length + index : index;
  const replacement = part[i] === 'A' ? 'B' : 'A';
  parts[segment] = `${part.slice(0, i)}${replacement}${part.slice(i + 1)}`;
  return parts.join('.');
}

/** The claims of a genuine PROMOTIONS link for the customer, valid for an hour; overrides make the forgery. */
export function unsubscribeClaims(customerId: string, overrides: JWTPayload = {}): JWTPayload {
  return {
    topic: 'PROMOTIONS',
    sub: customerId,
    aud: 'petto:unsubscribe',
    jti: randomUUID(),
    exp: now() + 3600,
    ...overrides,
  };
}

export interface ConsentRow {
  topic: string;
  status: string;
  channel: string;
  actor_id: string;
  policy_version: string;
}

/** Helpers bound to the suite's gateway, which must run with { PUBLIC_URL }. */
export function unsubscribeThrough(gateway: () => TestGateway) {
  const writes = writesThrough(gateway);
  const unsubscribeEndpoint = () => gateway().url.replace(/\/graphql$/, '/unsubscribe');

  /** A new customer with the consents given at checkout; its id. */
  async function register(consents: ConsentTopic[]): Promise<string> {
    return (await writes.register({ consents, consentChannel: 'CHECKOUT' })).id;
  }

  async function audience(topic: ConsentTopic, query = AUDIENCE): Promise<any[]> {
    const response = await gateway().query(MARKETING, query, { topic });
    expect(response.errors).toBeUndefined();
    return response.data.marketingAudience.edges.map((edge: any) => edge.node);
  }

  /** The link MARKETING is given for the customer, reached through marketingAudience(topic). */
  async function linkFor(customerId: string, topic: ConsentTopic, everyTopic = false): Promise<string> {
    const node = (await audience(topic, everyTopic ? AUDIENCE_EVERY_TOPIC : AUDIENCE)).find((n) => n.id === customerId);
    expect(node?.unsubscribeUrl).toEqual(expect.any(String));
    return tokenOf(node.unsubscribeUrl);
  }

  async function consentRows(customerId: string): Promise<ConsentRow[]> {
    return gateway().database.dataSource.query(
      `SELECT topic, status, channel, actor_id, policy_version FROM consent_records
        WHERE customer_id = $1 ORDER BY recorded_at, id`,
      [customerId],
    );
  }

  async function currentStatus(customerId: string): Promise<Record<string, string>> {
    const current: Record<string, string> = {};
    for (const row of await consentRows(customerId)) current[row.topic] = row.status;
    return current;
  }

  async function linkUses(): Promise<number> {
    const [{ count }] = await gateway().database.dataSource.query(
      'SELECT count(*)::int AS count FROM unsubscribe_link_uses',
    );
    return count;
  }

  async function postLink(
    token: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; type: string; body: string }> {
    const response = await fetch(`${unsubscribeEndpoint()}?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: 'List-Unsubscribe=One-Click',
    });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
  }

  async function getPage(query: string): Promise<{ status: number; headers: Headers; body: string }> {
    const response = await fetch(`${unsubscribeEndpoint()}${query}`);
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  /** The mutation, with no Authorization header at all. */
  function anonymously(body: unknown): Promise<GraphQLResponse> {
    return gateway().post(body);
  }

  return {
    unsubscribeEndpoint,
    register,
    audience,
    linkFor,
    consentRows,
    currentStatus,
    linkUses,
    postLink,
    getPage,
    anonymously,
  };
}
