// What the bench asks, as whom, and how its settings are read: shared by the table
// (gateway.bench.ts) and the profiler (profile.ts), so that both measure the same requests.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { issueToken } from '../../src/auth/tokens';
import type { Target } from './load';

/** A whole-number setting from the environment, refused when it is anything else. */
export function setting(name: string, byDefault: number, least = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return byDefault;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < least)
    throw new Error(`${name} must be a whole number ≥ ${least}, got "${raw}"`);
  return value;
}

export const SECRET = 'bench-secret-that-is-at-least-32-bytes-long';

/**
 * The bench gateway's settings: production, with rate and budget limits raised, since the
 * table measures the price of the policy per request and those limits would cut runs short.
 */
export const BENCH_GATEWAY_SETTINGS = {
  NODE_ENV: 'production',
  JWT_SECRET: SECRET,
  RATE_LIMIT_PER_MINUTE: '100000000',
  DISCLOSURE_LIMITS: 'CARRIER:100000000,SUPPORT_AGENT:100000000',
  RETENTION_INTERVAL_MINUTES: '0',
  SAFELIST: 'enforce',
};

/** Who a scenario asks as: the token's claims, and what the gateway's `me` shows for them. */
export interface BenchPrincipal {
  sub: string;
  role: 'CARRIER' | 'SUPPORT_AGENT' | 'ANALYST';
  carrierId?: string;
}

export interface Scenario {
  name: string;
  /** The least gateway/floor throughput ratio the issue asks for, on PostgreSQL. */
  goal: number;
  principal: BenchPrincipal;
  operation: string;
  variables: Record<string, unknown>;
  /** Fields the gateway answers null (and explains in `errors`) where the floor, with no policy, answers. */
  withheld: string[];
}

export const CARRIER: BenchPrincipal = { sub: 'bench-carrier', role: 'CARRIER', carrierId: 'ghn' };

// Carriers may run only their registered operations: send the contract's document as is.
const DELIVERIES = readFileSync('contracts/carrier/Deliveries.graphql', 'utf8');

export const SCENARIOS: Scenario[] = [
  {
    name: 'carrier deliveries(first: 50)',
    goal: 0.6,
    principal: CARRIER,
    operation: DELIVERIES,
    variables: { first: 50 },
    withheld: [],
  },
  {
    name: 'support customers(50) + orders(5), items, shipment',
    goal: 0.7,
    principal: { sub: 'bench-support', role: 'SUPPORT_AGENT' },
    operation: `query SupportPage($first: Int, $orders: Int) {
      customers(first: $first) { edges { node { id fullName email phone
        orders(first: $orders) { edges { node { code items { sku quantity }
          shipment { recipientName address { street ward district province } } } } } } } } }`,
    variables: { first: 50, orders: 5 },
    withheld: [],
  },
  {
    name: 'analyst customers(50), nothing released',
    goal: 0.9,
    principal: { sub: 'bench-analyst', role: 'ANALYST' },
    operation: `query AnalystPage($first: Int) {
      customers(first: $first) { edges { cursor node { id createdAt fullName email } } pageInfo { hasNextPage endCursor } } }`,
    variables: { first: 50 },
    withheld: ['fullName', 'email'],
  },
  {
    name: 'me',
    goal: 0.9,
    principal: { sub: 'bench-me', role: 'SUPPORT_AGENT' },
    operation: 'query Me { me { id role purposes carrierId } }',
    variables: {},
    withheld: [],
  },
];

/** `BENCH_ONLY=analyst,me`: the scenarios whose names start with one of these words. */
export function chosenScenarios(raw: string | undefined): Scenario[] {
  if (!raw) return SCENARIOS;
  const words = raw.split(',').map((word) => word.trim());
  const chosen = SCENARIOS.filter(({ name }) => words.some((word) => name.startsWith(word)));
  if (chosen.length === 0) {
    throw new Error(
      `BENCH_ONLY names no scenario: "${raw}" (scenarios: ${SCENARIOS.map(({ name }) => name.split(' ')[0]).join(', ')})`,
    );
  }
  return chosen;
}

/** The same request, with the same bearer token, to the gateway or the floor. */
export async function target(url: string, scenario: Scenario, principal: BenchPrincipal): Promise<Target> {
  const token = await issueToken(SECRET, principal);
  return {
    url,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: scenario.operation, variables: scenario.variables }),
  };
}

interface Answer {
  data?: unknown;
  errors?: { message: string; extensions?: { coordinate?: string } }[];
}

export async function ask(target: Target): Promise<Answer> {
  const response = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body });
  if (!response.ok) throw new Error(`${target.url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Answer;
}

/** The answer without the fields named: what gateway and floor must agree on. */
function without(value: unknown, fields: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => without(item, fields));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, item]) => (fields.includes(key) ? [] : [[key, without(item, fields)]])),
  );
}

/**
 * Before measuring anything, one request to each: the two must give the same data, and
 * `server` may only explain the `withheld` fields (the gateway's; none for the Apollo
 * floor, which applies no policy either). A bench that measured error answers (rate
 * limited, over budget, refused by the safelist) would report fine numbers for nothing.
 */
export async function checkAnswers(
  scenario: Scenario,
  server: Target,
  floor: Target,
  withheld = scenario.withheld,
): Promise<void> {
  const [fromServer, fromFloor] = await Promise.all([ask(server), ask(floor)]);
  const explainsWithheld = (coordinate = '') => withheld.some((field) => coordinate.endsWith(`.${field}`));
  const unexpected = (fromServer.errors ?? []).filter((error) => !explainsWithheld(error.extensions?.coordinate));
  if (unexpected.length > 0 || fromFloor.errors || fromServer.data === undefined) {
    throw new Error(`${scenario.name}: errors\n${JSON.stringify({ fromServer, fromFloor }).slice(0, 2000)}`);
  }
  if (!isDeepStrictEqual(without(fromServer.data, withheld), without(fromFloor.data, withheld))) {
    throw new Error(`${scenario.name}: ${server.url} and the floor answer differently`);
  }
}
