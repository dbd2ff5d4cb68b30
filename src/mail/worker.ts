import type { DataSource } from 'typeorm';
import type { UnsubscribeLinks } from '../consents/unsubscribe-links';
import { logger } from '../logger';
import { decideSend, MESSAGE_RULES, type DenialReason } from '../policy';
import {
  auditMessageUses,
  claimDueMessages,
  finishCampaigns,
  markFailedAttempt,
  markSent,
  markSkipped,
  type ClaimedMessage,
  type MessageUse,
} from './claims';
import { composeMail } from './compose';
import type { MailConfig } from './mail-config';
import { readRecipients, type Recipient } from './recipients';
import type { MailTransport } from './transport';

export type WorkerSettings = Pick<MailConfig, 'ratePerMinute' | 'maxAttempts' | 'retryBaseSeconds'> & {
  batchSize?: number;
  leaseSeconds?: number;
};

const POLL_MS = 1_000;
const DEFAULT_BATCH = 50;
/** Longer than any attempt takes: the SMTP connection gives up well before. */
const DEFAULT_LEASE_SECONDS = 300;

/** The error recorded for a failed attempt: its code, never the server's words (they may quote the address). */
function failureCode(error: unknown): string {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return (
    [code, responseCode].filter((part) => typeof part === 'string' || typeof part === 'number').join(' ') || 'ERROR'
  );
}

interface Decided {
  toSend: { message: ClaimedMessage; recipient: Recipient }[];
  uses: MessageUse[];
  skipped: { id: string; reason: DenialReason }[];
}

/** Asks the policy about each message, with the recipient's facts as they are now. */
function decideEach(messages: readonly ClaimedMessage[], recipients: Map<string, Recipient>): Decided {
  const decided: Decided = { toSend: [], uses: [], skipped: [] };
  for (const message of messages) {
    const recipient = recipients.get(message.id);
    const { purpose, field } = MESSAGE_RULES[message.kind];
    const decision = recipient ? decideSend(message.kind, recipient.facts) : undefined;
    if (recipient && decision?.allowed) {
      decided.toSend.push({ message, recipient });
      decided.uses.push({ message, purpose, field, decision: 'SENT', reason: null });
    } else {
      const reason = decision && !decision.allowed ? decision.reason : 'RETENTION_EXPIRED';
      decided.skipped.push({ id: message.id, reason });
      decided.uses.push({ message, purpose, field, decision: 'WITHHELD', reason });
    }
  }
  return decided;
}

/**
 * Sends the outbox: claims due messages, decides each again with the policy, records the
 * decisions in the audit trail before anything leaves (no trail, no mail), then hands
 * the messages to the transport and settles them. Safe to run in every replica.
 */
export class MailWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly links: UnsubscribeLinks,
    private readonly settings: WorkerSettings,
  ) {}

  /** Polls the outbox until `stop`. */
  start(): void {
    const tick = async () => {
      try {
        await this.drain();
      } catch (error) {
        logger.error({ err: error }, 'mail worker round failed');
      }
      if (!this.stopped) this.timer = setTimeout(tick, POLL_MS);
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops polling and waits for the round in progress, then closes the transport. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    this.transport.close();
  }

  /** Rounds until nothing is due (or the rate is spent); returns how many messages were settled. */
  async drain(): Promise<number> {
    let settled = 0;
    for (;;) {
      if (this.stopped) return settled;
      this.running = this.round();
      const count = await this.running;
      if (count === 0) return settled;
      settled += count;
    }
  }

  private async round(): Promise<number> {
    const { token, messages } = await claimDueMessages(this.dataSource, {
      batchSize: this.settings.batchSize ?? DEFAULT_BATCH,
      ratePerMinute: this.settings.ratePerMinute,
      leaseSeconds: this.settings.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
    });
    if (messages.length === 0) return 0;
    const decided = decideEach(messages, await readRecipients(this.dataSource, messages));
    await this.dataSource.transaction(async (tx) => {
      await auditMessageUses(tx, decided.uses);
      await markSkipped(tx, token, decided.skipped);
    });
    const outcomes = await Promise.all(
      decided.toSend.map(async ({ message, recipient }) => ({
        id: message.id,
        sent: await this.send(token, message, recipient),
      })),
    );
    await markSent(
      this.dataSource,
      token,
      outcomes.filter((outcome) => outcome.sent).map((outcome) => outcome.id),
    );
    const campaigns = new Set(messages.flatMap((message) => (message.campaignId ? [message.campaignId] : [])));
    await finishCampaigns(this.dataSource, [...campaigns]);
    return messages.length;
  }

  /** Hands one message over; a failure is settled here (retry or give up), a success by the caller with the rest. */
  private async send(token: string, message: ClaimedMessage, recipient: Recipient): Promise<boolean> {
    try {
      await this.transport.send(await composeMail(message, recipient, this.links));
      return true;
    } catch (error) {
      const finalAttempt = message.attempts >= this.settings.maxAttempts;
      const retrySeconds = this.settings.retryBaseSeconds * 2 ** (message.attempts - 1);
      logger.warn({ messageId: message.id, attempt: message.attempts, error: failureCode(error) }, 'mail not sent');
      await markFailedAttempt(this.dataSource, token, message.id, {
        error: failureCode(error),
        retrySeconds,
        finalAttempt,
      });
      return false;
    }
  }
}
