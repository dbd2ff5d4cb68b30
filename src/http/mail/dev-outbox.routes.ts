import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import type { MailConfig } from '../../mail/mail-config';

const EML_FILE = /^[0-9a-f-]{36}\.eml$/;

const ENCODED_WORD = /=\?UTF-8\?([QB])\?([^?]*)\?=/gi;

/** The bytes of one RFC 2047 encoded word (Q or B). */
function wordBytes(encoding: string, text: string): Buffer {
  if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64');
  const bytes = text
    .replace(/_/g, ' ')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1');
}

/** A header as a person reads it: a run of encoded words is joined before decoding (a character may span two). */
function decodeWords(value: string): string {
  return value.replace(/(?:=\?UTF-8\?[QB]\?[^?]*\?=\s*)+/gi, (run) =>
    Buffer.concat([...run.matchAll(ENCODED_WORD)].map(([, encoding, text]) => wordBytes(encoding, text))).toString(
      'utf8',
    ),
  );
}

function headerOf(message: string, name: string): string | undefined {
  const head = message.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const value = head.match(new RegExp(`^${name}: (.*)$`, 'im'))?.[1];
  return value === undefined ? undefined : decodeWords(value);
}

/**
 * Development only, without SMTP_URL: what the gateway would have sent, as the .eml files
 * it wrote. GET /dev/outbox lists them (newest first); GET /dev/outbox/<file> is one.
 */
export function devOutboxRouter(folder: string): express.Router {
  const router = express.Router();
  router.get('/', async (_req, res) => {
    const files = (await readdir(folder).catch(() => [] as string[])).filter((file) => EML_FILE.test(file));
    const messages = await Promise.all(
      files.map(async (file) => {
        const text = await readFile(join(folder, file), 'utf8');
        return { file, url: `/dev/outbox/${file}`, date: headerOf(text, 'Date'), subject: headerOf(text, 'Subject') };
      }),
    );
    messages.sort((a, b) => Date.parse(b.date ?? '') - Date.parse(a.date ?? ''));
    res.json({ folder, messages });
  });
  router.get('/:file', async (req, res) => {
    if (!EML_FILE.test(req.params.file)) return void res.status(404).end();
    const text = await readFile(join(folder, req.params.file), 'utf8').catch(() => undefined);
    if (text === undefined) return void res.status(404).end();
    res.type('message/rfc822').send(text);
  });
  return router;
}

/** Development without a mail server shows what would have been sent; production and SMTP never do. */
export function mountDevOutbox(
  app: express.Express,
  config: { production: boolean; mail?: Pick<MailConfig, 'smtpUrl' | 'outboxDir'> },
): void {
  if (!config.production && config.mail && !config.mail.smtpUrl) {
    app.use('/dev/outbox', devOutboxRouter(config.mail.outboxDir));
  }
}
