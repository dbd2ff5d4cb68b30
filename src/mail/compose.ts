import type { UnsubscribeLinks } from '../consents/unsubscribe-links';
import { isUnsubscribable } from '../policy';
import type { ClaimedMessage } from './claims';
import { orderNoticeMail, thankYouMail, type NoticeFacts } from './order-notices';
import { unsubscribeFooter, type OutgoingMail } from './outgoing-mail';
import type { Recipient } from './recipients';
import { givenName, renderTemplate } from './templates';

/** A message that cannot be composed: its data is gone. Recorded by code, like a failed attempt. */
export class UncomposableMessage extends Error {
  readonly code = 'UNCOMPOSABLE';
}

/** The link that stops this kind of mail: minted per message, recorded as issued by the message. */
async function unsubscribeUrlFor(message: ClaimedMessage, recipient: Recipient, links: UnsubscribeLinks) {
  if (!isUnsubscribable(message.kind) || !recipient.topic) return undefined;
  return links.url(message.customerId, recipient.topic, `outbox:${message.id}`);
}

function campaignBody(recipient: Recipient, unsubscribeUrl: string) {
  const campaign = recipient.campaign;
  if (!campaign?.text) throw new UncomposableMessage('the campaign has no template');
  const fullName = recipient.fullName ?? '';
  const values = { firstName: givenName(fullName), fullName, unsubscribeUrl };
  return {
    subject: campaign.subject,
    text: renderTemplate(campaign.text, values, 'text'),
    html: campaign.html === null ? undefined : renderTemplate(campaign.html, values, 'html'),
  };
}

function noticeFacts(recipient: Recipient): NoticeFacts {
  if (!recipient.order) throw new UncomposableMessage('the order is gone');
  const { code, totalVnd, trackingNumber } = recipient.order;
  return { firstName: givenName(recipient.fullName ?? ''), orderCode: code, totalVnd, trackingNumber };
}

/** The message as it goes out, rendered now from the recipient's current data; marketing mail gets its footer. */
export async function composeMail(
  message: ClaimedMessage,
  recipient: Recipient,
  links: UnsubscribeLinks,
): Promise<OutgoingMail> {
  if (!recipient.email) throw new UncomposableMessage('the recipient has no address');
  const unsubscribeUrl = await unsubscribeUrlFor(message, recipient, links);
  let body: { subject: string; text: string; html?: string };
  if (message.kind === 'ORDER_NOTICE' && message.notice) body = orderNoticeMail(message.notice, noticeFacts(recipient));
  else if (message.kind === 'THANK_YOU') body = thankYouMail(noticeFacts(recipient));
  else body = campaignBody(recipient, unsubscribeUrl ?? '');
  if (unsubscribeUrl && recipient.topic) {
    const footer = unsubscribeFooter(recipient.topic, unsubscribeUrl);
    body = {
      ...body,
      text: body.text + footer.text,
      html: body.html === undefined ? undefined : body.html + footer.html,
    };
  }
  return { id: message.id, to: recipient.email, ...body, unsubscribeUrl };
}
