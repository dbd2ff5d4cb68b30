import type { EntityManager } from 'typeorm';
import { keysetPage, type Keyset, type Page } from '../db/keyset';
import { queueCampaignMessages, type MessageCause } from '../mail/outbox';
import { RuleViolation } from '../rule-violation';
import { templateProblem } from '../mail/templates';
import type { ConsentTopic } from '../policy';
import { Campaign, type DeliveryCounts } from './campaign.entity';

export interface NewCampaign {
  topic: ConsentTopic;
  subject: string;
  text: string;
  html?: string;
  sendAt?: Date;
}

/** The templates must use no placeholder but ours, and the subject none at all. */
function checkTemplates(campaign: NewCampaign): void {
  if (/\{\{/.test(campaign.subject))
    throw new RuleViolation('subject', 'is sent as written: placeholders are not filled in');
  const textProblem = templateProblem(campaign.text, 'text');
  if (textProblem) throw new RuleViolation('text', textProblem);
  const htmlProblem = campaign.html === undefined ? undefined : templateProblem(campaign.html, 'html');
  if (htmlProblem) throw new RuleViolation('html', htmlProblem);
}

/**
 * The campaign and one outbox message per customer of the topic's audience, in the
 * caller's transaction. A campaign nobody is left to receive is finished at once.
 */
export async function scheduleCampaign(db: EntityManager, input: NewCampaign, cause: MessageCause): Promise<Campaign> {
  checkTemplates(input);
  const now = new Date();
  const sendAt = input.sendAt && input.sendAt > now ? input.sendAt : now;
  const campaign = await db.save(
    db.create(Campaign, {
      topic: input.topic,
      subject: input.subject.trim(),
      textTemplate: input.text,
      htmlTemplate: input.html ?? null,
      sendAt,
      scheduledBy: cause.id,
      scheduledRole: cause.role,
      finishedAt: null,
    }),
  );
  const recipients = await queueCampaignMessages(db, { id: campaign.id, topic: campaign.topic, sendAt }, cause);
  if (recipients === 0) {
    await db.update(Campaign, { id: campaign.id }, { finishedAt: now, textTemplate: null, htmlTemplate: null });
    campaign.finishedAt = now;
  }
  return campaign.withCounts({ recipients, sent: 0, skipped: 0, failed: 0 });
}

const NO_MESSAGES: DeliveryCounts = { recipients: 0, sent: 0, skipped: 0, failed: 0 };

/** The delivery counts of each campaign, in one statement. */
async function withDeliveryCounts(db: EntityManager, campaigns: Campaign[]): Promise<Campaign[]> {
  if (campaigns.length === 0) return campaigns;
  const rows: (DeliveryCounts & { id: string })[] = await db.query(
    `SELECT campaign_id AS id, count(*)::int AS recipients,
            (count(*) FILTER (WHERE status = 'SENT'))::int AS sent,
            (count(*) FILTER (WHERE status = 'SKIPPED'))::int AS skipped,
            (count(*) FILTER (WHERE status = 'FAILED'))::int AS failed
       FROM outbox_messages WHERE campaign_id = ANY($1) GROUP BY campaign_id`,
    [campaigns.map((campaign) => campaign.id)],
  );
  const counts = new Map(rows.map(({ id, ...count }) => [id, count]));
  return campaigns.map((campaign) => campaign.withCounts(counts.get(campaign.id) ?? NO_MESSAGES));
}

export async function campaignById(db: EntityManager, id: string): Promise<Campaign | null> {
  const campaign = await db.findOneBy(Campaign, { id });
  return campaign ? (await withDeliveryCounts(db, [campaign]))[0] : null;
}

export function campaignKey(campaign: Campaign): Keyset {
  return { at: campaign.createdAt, id: campaign.id };
}

/** Newest first. */
export async function campaignsPage(db: EntityManager, page: Page): Promise<Campaign[]> {
  return withDeliveryCounts(db, await keysetPage(db.createQueryBuilder(Campaign, 'k'), 'k', 'created_at', page));
}
