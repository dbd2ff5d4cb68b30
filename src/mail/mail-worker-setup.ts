import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { MailConfig } from './mail-config';
import { UnsubscribeLinks } from '../consents/unsubscribe-links';
import { logger } from '../logger';
import { createMailTransport } from './transport';
import { MailWorker } from './worker';

type WorkerConfig = Pick<Config, 'jwtSecret' | 'publicUrl' | 'unsubscribeLinkDays' | 'policyVersion'> & {
  mail: MailConfig;
};

/** The server's mail worker, polling the outbox until it is stopped. Every replica runs one. */
export function startMailWorker(dataSource: DataSource, config: WorkerConfig): MailWorker {
  const transport = createMailTransport(config.mail);
  const worker = new MailWorker(dataSource, transport, new UnsubscribeLinks(config), config.mail);
  worker.start();
  logger.info(
    config.mail.smtpUrl ? { transport: 'smtp' } : { transport: 'files', folder: config.mail.outboxDir },
    'mail worker started',
  );
  return worker;
}
