import { TOPIC_LABELS } from '../consents/consent-vocabulary';
import type { ConsentTopic } from '../policy';
import { escapeHtml } from './templates';

/** One message as the transport hands it to the mail server. */
export interface OutgoingMail {
  /** The outbox id: the Message-ID is made from it, so a retry is recognisably the same message. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Marketing mail only: the one-click link of RFC 8058, in the headers and the footer. */
  unsubscribeUrl?: string;
}

/** The footer of every marketing email: why it came, and the link that stops it. Vietnamese first. */
export function unsubscribeFooter(topic: ConsentTopic, url: string): { text: string; html: string } {
  const label = TOPIC_LABELS[topic];
  const vi = `Bạn nhận email này vì đã đồng ý nhận ${label.vi} từ Petto. Ngừng nhận ${label.vi}:`;
  const en = `You receive this email because you agreed to receive ${label.en} from Petto. Stop receiving ${label.en}:`;
  return {
    text: `\n\n--\n${vi}\n${url}\n\n${en}\n${url}\n`,
    html:
      `<hr><p style="font-size:12px;color:#555">${escapeHtml(vi)} <a href="${escapeHtml(url)}">Ngừng nhận</a><br>` +
      `${escapeHtml(en)} <a href="${escapeHtml(url)}">Unsubscribe</a></p>`,
  };
}

/** Paragraphs of plain text as HTML, each line escaped. */
export function paragraphsHtml(paragraphs: readonly string[]): string {
  return paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`).join('\n');
}
