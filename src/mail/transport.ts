import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { messageIdDomain, type MailConfig } from './mail-config';
import type { OutgoingMail } from './outgoing-mail';

/** Hands one message to the mail server (or, without one, to a file); rejects when it was not taken. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Connections kept open to the mail server, each sending one message at a time. */
const SMTP_CONNECTIONS = 4;

/**
 * The headers of RFC 5322 and RFC 8058: a Message-ID made from the outbox id (a retry
 * carries the same one, so the receiving side can tell it apart from a new message), and
 * the one-click unsubscribe headers on marketing mail only.
 */
function mailOptions(mail: OutgoingMail, from: string): SendMailOptions {
  const headers: Record<string, string> = mail.unsubscribeUrl
    ? { 'List-Unsubscribe': `<${mail.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
    : {};
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    messageId: `<${mail.id}@${messageIdDomain(from)}>`,
    headers,
    // Nodemailer would otherwise take a file path or URL in the body as something to attach.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
  });
  return {
    send: async (mail) => {
      await transporter.sendMail(mailOptions(mail, from));
    },
    close: () => transporter.close(),
  };
}

/** Without a mail server: each message becomes `<outbox id>.eml`, written again (not twice) on a retry. */
function fileTransport(folder: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (mail) => {
      const { message } = await transporter.sendMail(mailOptions(mail, from));
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, `${mail.id}.eml`), message as Buffer);
    },
    close: () => transporter.close(),
  };
}

export function createMailTransport(config: Pick<MailConfig, 'smtpUrl' | 'from' | 'outboxDir'>): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl, config.from) : fileTransport(config.outboxDir, config.from);
}
