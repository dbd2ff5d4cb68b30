import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { describeOnEachDatabase, errorCodes, TEST_SECRET } from '../support/gateway';
import { forgeToken, now } from '../support/tokens';

/**
 * An identity provider on loopback, publishing its keys as a JWKS: the gateway, given
 * JWKS_URL, accepts RS256 and ES256 tokens signed by those keys and nothing else.
 */
let provider: Server;
let rsa: { privateKey: KeyLike; publicKey: KeyLike };
let ec: { privateKey: KeyLike; publicKey: KeyLike };
let jwksUrl: string;

beforeAll(async () => {
  rsa = await generateKeyPair('RS256');
  ec = await generateKeyPair('ES256');
  const keys = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  provider = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  await new Promise((resolve) => provider.close(resolve));
});

function sign(alg: 'RS256' | 'ES256' | 'HS256', key: KeyLike | string, kid?: string) {
  const claims = { role: 'ANALYST', sub: 'idp-analyst', iat: now(), exp: now() + 5 * 60 };
  return forgeToken(claims, { key, header: { alg, ...(kid ? { kid } : {}) } });
}

describeOnEachDatabase(
  'tokens from an identity provider (JWKS_URL)',
  (gateway) => {
    const me = async (token: string) =>
      gateway().query({ role: 'ANALYST', authorization: `Bearer ${token}` }, '{ me { id role } }');

    test.each([
      ['RS256', () => sign('RS256', rsa.privateKey, 'rsa-1')],
      ['ES256', () => sign('ES256', ec.privateKey, 'ec-1')],
    ])('a %s token signed by a published key is accepted', async (_alg, token) => {
      const response = await me(await token());
      expect(response.data).toEqual({ me: { id: 'idp-analyst', role: 'ANALYST' } });
    });

    test('an HS256 token with the gateway secret is refused once a JWKS is configured', async () => {
      const response = await me(await sign('HS256', TEST_SECRET));
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    });

    test('a token signed by a key the provider does not publish is refused', async () => {
      const stranger = await generateKeyPair('RS256');
      const response = await me(await sign('RS256', stranger.privateKey, 'rsa-1'));
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    });
  },
  // A getter: the provider's port is known only once the beforeAll above has run.
  {
    get JWKS_URL() {
      return jwksUrl;
    },
  },
);
