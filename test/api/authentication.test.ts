import { createHmac } from 'node:crypto';
import { generateKeyPair, type JWTPayload } from 'jose';
import { describeOnEachDatabase, TEST_SECRET, type GraphQLResponse, type TestGateway } from '../support/gateway';
import { forgeToken, now } from '../support/tokens';

/**
 * Who may ask at all (docs/design.md#the-contract): `Authorization: Bearer <JWT>`, HS256 with JWT_SECRET,
 * claims sub, role, carrierId for carriers, and exp. Every refusal here ends the request
 * before any resolver runs: 401 UNAUTHENTICATED for a missing or bad token, 403 FORBIDDEN
 * for a role (or carrier) the gateway does not know, 400 BAD_USER_INPUT for an unknown
 * X-Purpose. A refused request carries no data at all.
 */

/** A query that would release personal data to anyone let in: a refusal must stop it. */
const CONTACTS = `{ me { id role } customers(first: 5) { edges { node { id email phone } } } }`;

function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A valid claim set for a principal the gateway knows, with any claim overridden. */
function claims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: 'test-auth', role: 'SUPPORT_AGENT', iat: now(), exp: now() + 3600, ...overrides };
}

/** A compact JWS assembled by hand, for headers no honest library would produce. */
function handCrafted(header: object, payload: JWTPayload, sign: (input: string) => string): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  return `${input}.${sign(input)}`;
}

function hmacSha256(secret: string) {
  return (input: string) => createHmac('sha256', secret).update(input).digest('base64url');
}

describeOnEachDatabase('authentication', (gateway) => {
  async function withAuthorization(authorization: string | undefined, purpose?: string): Promise<GraphQLResponse> {
    const headers: Record<string, string> = {};
    if (authorization !== undefined) headers.authorization = authorization;
    if (purpose !== undefined) headers['x-purpose'] = purpose;
    return gateway().post({ query: CONTACTS }, headers);
  }

  /** The request was refused as a whole: the status and code given, no data, nothing leaked. */
  function expectRefused(response: GraphQLResponse, status: number, code: string): void {
    expect({ status: response.status, codes: (response.errors ?? []).map((e) => e.extensions?.code) }).toEqual({
      status,
      codes: [code],
    });
    expect(response.data ?? null).toBeNull();
    const body = JSON.stringify(response);
    expect(body).not.toMatch(/@example\.vn|\+84|stacktrace/);
    expect(body).not.toContain(TEST_SECRET);
  }

  describe('a missing or unusable Authorization header is UNAUTHENTICATED (401)', () => {
    test.each<[string, string | undefined]>([
      ['no Authorization header', undefined],
      ['an empty header', ''],
      ['the Bearer scheme without a token', 'Bearer'],
      ['the Bearer scheme with a blank token', 'Bearer   '],
      ['the Basic scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
      ['garbage instead of a JWT', 'Bearer not-a-jwt'],
      ['three dots of nothing', 'Bearer ..'],
      ['base64 that is not JSON', `Bearer ${base64url('garbage')}.${base64url('garbage')}.${base64url('garbage')}`],
    ])('%s', async (_title, authorization) => {
      expectRefused(await withAuthorization(authorization), 401, 'UNAUTHENTICATED');
    });

    test('a genuine token without the Bearer scheme', async () => {
      expectRefused(await withAuthorization(await gateway().token('SUPPORT_AGENT')), 401, 'UNAUTHENTICATED');
    });

    test('a genuine token under another scheme', async () => {
      expectRefused(await withAuthorization(`Token ${await gateway().token('SUPPORT_AGENT')}`), 401, 'UNAUTHENTICATED');
    });
  });

  describe('a token the gateway did not issue, or no longer honours, is UNAUTHENTICATED (401)', () => {
    test('an expired token', async () => {
      const token = await forgeToken(claims({ iat: now() - 7200, exp: now() - 3600 }));
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('a token that expired a second ago (no grace period)', async () => {
      const token = await forgeToken(claims({ iat: now() - 60, exp: now() - 1 }));
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('a token without exp', async () => {
      const { exp: _omitted, ...forever } = claims();
      const token = await forgeToken(forever);
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('a token whose exp is not a number', async () => {
      const token = await forgeToken(claims({ exp: 'tomorrow' as unknown as number }));
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('a token not valid yet (nbf in the future)', async () => {
      const token = await forgeToken(claims({ nbf: now() + 3600 }));
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('a token without sub', async () => {
      const { sub: _omitted, ...anonymous } = claims();
      const token = await forgeToken(anonymous);
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('a token with an empty sub', async () => {
      const token = await forgeToken(claims({ sub: '' }));
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('alg "none" with no signature', async () => {
      const token = handCrafted({ alg: 'none', typ: 'JWT' }, claims({ role: 'PRIVACY_OFFICER' }), () => '');
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('alg "none" in other spellings', async () => {
      for (const alg of ['None', 'NONE', 'nOnE']) {
        const token = handCrafted({ alg, typ: 'JWT' }, claims({ role: 'PRIVACY_OFFICER' }), () => '');
        expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
      }
    });

    test('alg "none" carrying an HS256 signature made with the right secret', async () => {
      const token = handCrafted({ alg: 'none', typ: 'JWT' }, claims(), hmacSha256(TEST_SECRET));
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('a token signed with another secret', async () => {
      const token = await forgeToken(claims(), { key: 'another-secret-that-is-also-32-bytes-long!' });
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('a genuine token whose claims were altered after signing', async () => {
      const genuine = await gateway().token('ANALYST');
      const [header, payload, signature] = genuine.split('.');
      const altered = { ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), role: 'PRIVACY_OFFICER' };
      const token = `${header}.${base64url(altered)}.${signature}`;
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('a genuine token with its signature stripped', async () => {
      const [header, payload] = (await gateway().token('ANALYST')).split('.');
      expectRefused(await withAuthorization(`Bearer ${header}.${payload}.`), 401, 'UNAUTHENTICATED');
    });

    test('HS512 with the right secret (only HS256 is accepted)', async () => {
      const token = await forgeToken(claims(), { header: { alg: 'HS512', typ: 'JWT' } });
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('HS384 with the right secret', async () => {
      const token = await forgeToken(claims(), { header: { alg: 'HS384', typ: 'JWT' } });
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('RS256 signed with a key of its own', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await forgeToken(claims(), { key: privateKey, header: { alg: 'RS256', typ: 'JWT' } });
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('ES256 signed with a key of its own', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const token = await forgeToken(claims(), { key: privateKey, header: { alg: 'ES256', typ: 'JWT' } });
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });

    test('algorithm confusion: header RS256, HMAC-SHA256 signature with the secret', async () => {
      const token = handCrafted({ alg: 'RS256', typ: 'JWT' }, claims(), hmacSha256(TEST_SECRET));
      expectRefused(await withAuthorization(`Bearer ${token}`), 401, 'UNAUTHENTICATED');
    });
  });

  describe('a genuine token for a principal the gateway does not know is FORBIDDEN (403)', () => {
    test.each<[string, JWTPayload]>([
      ['an unknown role', { role: 'ADMIN' }],
      ['a role in the wrong case', { role: 'support_agent' }],
      ['a role that is not a string', { role: ['SUPPORT_AGENT'] as unknown as string }],
      ['no role at all', { role: undefined }],
      ['a CARRIER without carrierId', { role: 'CARRIER' }],
      ['a CARRIER with an empty carrierId', { role: 'CARRIER', carrierId: '' }],
      ['a CARRIER with a carrierId that is no carrier slug', { role: 'CARRIER', carrierId: "ghn' OR '1'='1" }],
    ])('%s', async (_title, overrides) => {
      const payload = claims(overrides);
      if (overrides.role === undefined) delete payload.role;
      const token = await forgeToken(payload);
      expectRefused(await withAuthorization(`Bearer ${token}`), 403, 'FORBIDDEN');
    });
  });

  describe('X-Purpose', () => {
    test.each(['SELLING_DATA', 'customer_care', 'CUSTOMER_CARE,MARKETING', '*'])(
      'an unknown purpose %p is BAD_USER_INPUT (400)',
      async (purpose) => {
        const response = await withAuthorization(`Bearer ${await gateway().token('SUPPORT_AGENT')}`, purpose);
        expectRefused(response, 400, 'BAD_USER_INPUT');
        expect(response.errors?.[0].extensions?.argumentPath).toEqual(['X-Purpose']);
      },
    );

    test('a bad token is refused before the purpose is looked at', async () => {
      const response = await withAuthorization('Bearer not-a-jwt', 'SELLING_DATA');
      expectRefused(response, 401, 'UNAUTHENTICATED');
    });

    test('a role with one purpose may omit it: a carrier reads its recipient without X-Purpose', async () => {
      const response = await gateway().query(
        { role: 'CARRIER', carrierId: 'ghn' },
        `{ deliveries { edges { node { code shipment { recipientName } } } } }`,
      );
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect(response.data.deliveries.edges.length).toBeGreaterThan(0);
      for (const edge of response.data.deliveries.edges)
        expect(edge.node.shipment.recipientName).toEqual(expect.any(String));
    });

    test('the purpose the role holds, declared, is accepted', async () => {
      const response = await gateway().query(
        { role: 'SUPPORT_AGENT', purpose: 'CUSTOMER_CARE' },
        `{ me { role purposes } }`,
      );
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ me: { role: 'SUPPORT_AGENT', purposes: ['CUSTOMER_CARE'] } });
    });
  });

  describe('a valid token', () => {
    async function me(g: TestGateway, authorization: string): Promise<GraphQLResponse> {
      return g.post({ query: '{ me { id role carrierId purposes } }' }, { authorization });
    }

    test('issued by the gateway is accepted and names the principal', async () => {
      const response = await me(gateway(), `Bearer ${await gateway().token('ANALYST')}`);
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ me: { id: 'test-analyst', role: 'ANALYST', carrierId: null, purposes: [] } });
    });

    test('crafted by hand with HS256 and the secret is accepted, carrierId included', async () => {
      const token = await forgeToken(claims({ sub: 'ghn-driver-7', role: 'CARRIER', carrierId: 'ghn' }));
      const response = await me(gateway(), `Bearer ${token}`);
      expect(response.status).toBe(200);
      expect(response.data).toEqual({
        me: { id: 'ghn-driver-7', role: 'CARRIER', carrierId: 'ghn', purposes: ['SHIPPING'] },
      });
    });

    test('the scheme name is case-insensitive (RFC 7235)', async () => {
      const response = await me(gateway(), `bearer ${await gateway().token('ANALYST')}`);
      expect(response.status).toBe(200);
      expect(response.data?.me.role).toBe('ANALYST');
    });

    test('a carrierId on a token of another role is ignored', async () => {
      const token = await forgeToken(claims({ sub: 'analyst-1', role: 'ANALYST', carrierId: 'ghn' }));
      const response = await me(gateway(), `Bearer ${token}`);
      expect(response.data).toEqual({ me: { id: 'analyst-1', role: 'ANALYST', carrierId: null, purposes: [] } });
    });

    test('releases data to the role it names, where the bad ones released nothing', async () => {
      const response = await withAuthorization(`Bearer ${await forgeToken(claims())}`, 'CUSTOMER_CARE');
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect(response.data.me).toEqual({ id: 'test-auth', role: 'SUPPORT_AGENT' });
      expect(response.data.customers.edges.length).toBeGreaterThan(0);
      expect(response.data.customers.edges[0].node.email).toMatch(/@/);
    });
  });
});
