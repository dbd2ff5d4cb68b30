// npm run unsubscribe-link -- --customer <uuid> [--topic PROMOTIONS] [--days 30]
// Signs with a key derived from JWT_SECRET, which must be the running gateway's; the link
// starts with PUBLIC_URL (default http://localhost:$PORT). Prints the URL.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { isUUID } from 'class-validator';
import { UnsubscribeLinks } from '../consents/unsubscribe-links';
import { CONSENT_TOPICS, isConsentTopic } from '../policy';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      customer: { type: 'string' },
      topic: { type: 'string' },
      days: { type: 'string' },
    },
  });
  if (!process.env.JWT_SECRET) {
    throw new Error('set JWT_SECRET to the secret the gateway runs with (npm start prints it)');
  }
  const customer = values.customer ?? '';
  if (!isUUID(customer)) throw new Error('--customer must be a customer id (a UUID)');
  if (values.topic !== undefined && !isConsentTopic(values.topic)) {
    throw new Error(`--topic must be one of ${CONSENT_TOPICS.join(', ')} (leave it out for every topic)`);
  }
  const config = loadConfig({
    ...process.env,
    ...(values.days !== undefined ? { UNSUBSCRIBE_LINK_DAYS: values.days } : {}),
  });
  const links = new UnsubscribeLinks(config);
  const operator = `operator:${userInfo().username}`;
  process.stdout.write(`${await links.url(customer.toLowerCase(), values.topic, operator)}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${error instanceof ConfigError ? `configuration error: ${message}` : message}\n`);
  process.exit(1);
});
