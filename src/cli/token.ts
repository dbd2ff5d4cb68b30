// npm run token -- --role CARRIER --carrier ghn [--sub someone] [--ttl 8h]
// Signs with JWT_SECRET, which must be the running gateway's.
import { parseArgs } from 'node:util';
import { issueToken } from '../auth/tokens';
import { isRole, ROLES } from '../policy';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      carrier: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    },
  });
  const secret = process.env.JWT_SECRET;
  if (!secret) throw new Error('set JWT_SECRET to the secret the gateway runs with (npm start prints it)');
  const role = values.role ?? '';
  if (!isRole(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (role === 'CARRIER' && !values.carrier) throw new Error('a CARRIER token needs --carrier <carrierId>');
  const sub = values.sub ?? `cli-${(values.carrier ?? role).toLowerCase()}`;
  process.stdout.write(`${await issueToken(secret, { sub, role, carrierId: values.carrier }, values.ttl)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
