import { createHmac, randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import { jwtVerify, SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { jwtRefusal } from '../auth/jwt-refusal';
import { lockCustomer } from '../customers/customer.store';
import { DAY_MS, isConsentTopic, type ConsentTopic } from '../policy';
import { currentConsents, recordConsent, withdrawEveryTopic } from './consent.store';

/**
 * One-click unsubscribe links (design: P6; RFC 8058): a JWT naming the customer, the topic (none
 * for every topic) and the link's own id, signed HS256 with a key derived from
 * JWT_SECRET. Never the auth key itself: an unsubscribe token can never authenticate,
 * and an auth token can never unsubscribe. The audience is checked too, for good measure.
 */
export const UNSUBSCRIBE_AUDIENCE = 'petto:unsubscribe';
const KEY_LABEL = 'petto unsubscribe links';
/** A JWT of ours is a few hundred characters; anything far longer is not one. */
const MAX_TOKEN_LENGTH = 2048;

/** HMAC-SHA256(JWT_SECRET, label): the signing key of unsubscribe links, and of nothing else. */
export function unsubscribeLinkKey(jwtSecret: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', jwtSecret).update(KEY_LABEL).digest());
}

export interface UnsubscribeLink {
  customerId: string;
  /** Absent: every topic. */
  topic?: ConsentTopic;
  /** The principal who minted the link (claim `iss`), recorded with the withdrawal it causes. */
  issuedBy?: string;
  /** The jti: the link's own id, recorded when it is used so it works once. */
  linkId: string;
}

/**
 * Signs a link for the customer. `expiresAt` is a Date or seconds since the epoch
 * (a past one makes an expired link, which is what tests need).
 */
export async function signUnsubscribeToken(
  jwtSecret: string,
  { customerId, topic, issuedBy }: { customerId: string; topic?: ConsentTopic; issuedBy?: string },
  expiresAt: Date | number,
  linkId: string = randomUUID(),
): Promise<string> {
  const token = new SignJWT(topic ? { topic } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(customerId)
    .setAudience(UNSUBSCRIBE_AUDIENCE)
    .setJti(linkId)
    .setIssuedAt()
    .setExpirationTime(expiresAt);
  return (issuedBy ? token.setIssuer(issuedBy) : token).sign(unsubscribeLinkKey(jwtSecret));
}

/** Why a link was refused; the message is what the customer (or the caller) is told. */
export class UnsubscribeLinkRejected extends Error {
  constructor(readonly reason: 'EXPIRED' | 'INVALID') {
    super(reason === 'EXPIRED' ? 'this unsubscribe link has expired' : 'this unsubscribe link is not valid');
  }
}

/** HS256 with the derived key only; `exp`, `sub`, `jti` and our audience are required. */
export async function verifyUnsubscribeToken(jwtSecret: string, token: unknown): Promise<UnsubscribeLink> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new UnsubscribeLinkRejected('INVALID');
  }
  let payload;
  try {
    ({ payload } = await jwtVerify(token, unsubscribeLinkKey(jwtSecret), {
      algorithms: ['HS256'],
      audience: UNSUBSCRIBE_AUDIENCE,
      requiredClaims: ['exp', 'sub', 'jti'],
    }));
  } catch (error) {
    throw new UnsubscribeLinkRejected(jwtRefusal(error));
  }
  const { sub, jti, topic, iss } = payload;
  if (typeof sub !== 'string' || !isUUID(sub)) throw new UnsubscribeLinkRejected('INVALID');
  if (typeof jti !== 'string' || !isUUID(jti)) throw new UnsubscribeLinkRejected('INVALID');
  if (topic !== undefined && !isConsentTopic(topic)) throw new UnsubscribeLinkRejected('INVALID');
  return { customerId: sub.toLowerCase(), topic, linkId: jti.toLowerCase(), issuedBy: iss };
}

export interface UnsubscribeOutcome {
  /** The topics this use withdrew (those granted until now); empty when it was already used. */
  topics: ConsentTopic[];
  /** The link had been used before: nothing changed, and nothing needed to. */
  alreadyUsed: boolean;
  /** What the link covers: one topic, or every topic. */
  topic?: ConsentTopic;
}

/** The actor recorded on the consent records a link writes. */
export function linkActorId(linkId: string): string {
  return `unsubscribe-link:${linkId}`;
}

/**
 * Uses a verified link, in one transaction: locks the customer, records the link as
 * used (a second use finds it there and changes nothing), then withdraws the topic, or
 * every topic, on the EMAIL_LINK channel.
 */
export async function redeemUnsubscribeLink(
  dataSource: DataSource,
  link: UnsubscribeLink,
  policyVersion: string,
): Promise<UnsubscribeOutcome> {
  return dataSource.transaction(async (tx) => {
    if (!(await lockCustomer(tx, link.customerId))) throw new UnsubscribeLinkRejected('INVALID');
    const recorded: unknown[] = await tx.query(
      `INSERT INTO unsubscribe_link_uses (link_id, customer_id) VALUES ($1, $2)
       ON CONFLICT (link_id) DO NOTHING RETURNING link_id`,
      [link.linkId, link.customerId],
    );
    if (recorded.length === 0) return { topics: [], alreadyUsed: true, topic: link.topic };

    const change = {
      customerId: link.customerId,
      channel: 'EMAIL_LINK' as const,
      actorId: linkActorId(link.linkId),
      linkIssuedBy: link.issuedBy ?? null,
      policyVersion,
    };
    if (link.topic === undefined) {
      return { topics: await withdrawEveryTopic(tx, change), alreadyUsed: false };
    }
    const current = (await currentConsents(tx, [link.customerId])).get(link.customerId) ?? [];
    const wasGranted = current.some((consent) => consent.topic === link.topic && consent.status === 'GRANTED');
    // Recorded even when it was never granted: an explicit refusal is worth proving.
    await recordConsent(tx, { ...change, topic: link.topic, status: 'WITHDRAWN' });
    return { topics: wasGranted ? [link.topic] : [], alreadyUsed: false, topic: link.topic };
  });
}

export interface UnsubscribeLinkSettings {
  jwtSecret: string;
  /** e.g. https://privacy.petto.vn, without a trailing slash. */
  publicUrl: string;
  unsubscribeLinkDays: number;
  policyVersion: string;
}

/** The gateway's unsubscribe links, bound to its configuration. */
export class UnsubscribeLinks {
  constructor(private readonly settings: UnsubscribeLinkSettings) {}

  /** A fresh link (its own id) valid for the configured number of days, naming who minted it. */
  async url(customerId: string, topic: ConsentTopic | undefined, issuedBy: string): Promise<string> {
    const expiresAt = new Date(Date.now() + this.settings.unsubscribeLinkDays * DAY_MS);
    const token = await signUnsubscribeToken(this.settings.jwtSecret, { customerId, topic, issuedBy }, expiresAt);
    return unsubscribeUrl(this.settings.publicUrl, token);
  }

  verify(token: unknown): Promise<UnsubscribeLink> {
    return verifyUnsubscribeToken(this.settings.jwtSecret, token);
  }

  /** Verifies and uses the link; UnsubscribeLinkRejected when it may not be used (nothing changed). */
  async redeem(dataSource: DataSource, token: unknown): Promise<UnsubscribeOutcome> {
    return redeemUnsubscribeLink(dataSource, await this.verify(token), this.settings.policyVersion);
  }

  /**
   * Read only, for the GET page: whether the link could be used, and whether it has been.
   * UnsubscribeLinkRejected exactly where using it would be refused.
   */
  async inspect(dataSource: DataSource, token: unknown): Promise<{ link: UnsubscribeLink; used: boolean }> {
    const link = await this.verify(token);
    const [row]: { customer: boolean; used: boolean }[] = await dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM customers WHERE id = $1) AS customer,
              EXISTS (SELECT 1 FROM unsubscribe_link_uses WHERE link_id = $2) AS used`,
      [link.customerId, link.linkId],
    );
    if (!row?.customer) throw new UnsubscribeLinkRejected('INVALID');
    return { link, used: row.used };
  }
}

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
}

/** What a use of a link did, in English, for the GraphQL answer and plain-text replies. */
export function outcomeMessage(outcome: UnsubscribeOutcome): string {
  const what = outcome.topic ? `from ${outcome.topic}` : 'from every topic';
  if (outcome.alreadyUsed) return `this unsubscribe link was already used: you are unsubscribed ${what}`;
  return `you are unsubscribed ${what}`;
}
