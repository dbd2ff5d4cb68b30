import type { ConsentTopic } from '../../policy';
import { TOPIC_LABELS } from '../../consents/consent-vocabulary';
import { escapeHtml, hiddenFields, htmlDocument, inline, paragraphs, type Bilingual } from './html';
import type { UnsubscribeLinkRejected, UnsubscribeOutcome } from '../../consents/unsubscribe-links';

/**
 * The short answers of the unsubscribe routes: the outcome of a one-click use, each
 * refusal, failures. Vietnamese, then English. The same words serve the plain-text
 * answer to a mail provider's one-click POST. "Hủy đăng ký" is kept for cancelling the
 * registration (the policy's "hủy đăng ký thông tin"); one kind of email is "ngừng nhận".
 */

const TOPIC_WORDS: Record<ConsentTopic | 'ALL', Bilingual> = {
  ...TOPIC_LABELS,
  ALL: { vi: 'mọi email tiếp thị', en: 'all marketing emails' },
};

/** The words for what a link covers: its topic, or every topic. */
export function wordsFor(topic: ConsentTopic | undefined): Bilingual {
  return TOPIC_WORDS[topic ?? 'ALL'];
}

/** A message page (named so as not to be confused with a page of a paginated list). */
export interface HtmlPage extends Bilingual {
  title: string;
}

export const STOP_BUTTON: Bilingual = { vi: 'Ngừng nhận', en: 'Unsubscribe' };

/** The RFC 8058 one-click form: POSTs `List-Unsubscribe=One-Click` to the link itself. */
export function oneClickForm(token: string): string {
  return `
    <form method="post" action="?token=${escapeHtml(encodeURIComponent(token))}">
      ${hiddenFields({ 'List-Unsubscribe': 'One-Click' })}
      <button type="submit">${inline(STOP_BUTTON)}</button>
    </form>`;
}

export function renderPage({ title, vi, en }: HtmlPage): string {
  return htmlDocument(title, paragraphs({ vi, en }));
}

export function outcomePage(outcome: UnsubscribeOutcome): HtmlPage {
  const { vi, en } = wordsFor(outcome.topic);
  if (outcome.alreadyUsed) {
    return {
      title: 'Đã ngừng nhận · Already unsubscribed',
      vi: `Liên kết này đã được sử dụng: bạn đã ngừng nhận ${vi} từ Petto.`,
      en: `This link has already been used: you no longer receive ${en} from Petto.`,
    };
  }
  return {
    title: 'Đã ngừng nhận · Unsubscribed',
    vi: `Bạn đã ngừng nhận ${vi} từ Petto. Thay đổi có hiệu lực ngay lập tức.`,
    en: `You will no longer receive ${en} from Petto. This takes effect immediately.`,
  };
}

export function rejectionPage(rejection: UnsubscribeLinkRejected): HtmlPage {
  if (rejection.reason === 'EXPIRED') {
    return {
      title: 'Liên kết đã hết hạn · Link expired',
      vi: 'Liên kết ngừng nhận email này đã hết hạn; không có gì thay đổi. Hãy dùng liên kết trong một email mới hơn, hoặc liên hệ Petto.',
      en: 'This unsubscribe link has expired; nothing was changed. Please use the link in a more recent email, or contact Petto.',
    };
  }
  return {
    title: 'Liên kết không hợp lệ · Invalid link',
    vi: 'Liên kết ngừng nhận email này không hợp lệ; không có gì thay đổi. Hãy dùng đúng liên kết trong email, hoặc liên hệ Petto.',
    en: 'This unsubscribe link is not valid; nothing was changed. Please use the exact link from the email, or contact Petto.',
  };
}

export const FAILURE: HtmlPage = {
  title: 'Lỗi · Error',
  vi: 'Đã có lỗi xảy ra; không có gì thay đổi. Vui lòng thử lại sau.',
  en: 'Something went wrong; nothing was changed. Please try again later.',
};

export function tooMany(retryAfter: number): HtmlPage {
  return {
    title: 'Quá nhiều yêu cầu · Too many requests',
    vi: `Quá nhiều yêu cầu; vui lòng thử lại sau ${retryAfter} giây.`,
    en: `Too many requests; please try again in ${retryAfter} seconds.`,
  };
}

/** A body too large or malformed, or a form that is not one of ours. */
export const BAD_REQUEST: HtmlPage = {
  title: 'Yêu cầu không hợp lệ · Bad request',
  vi: 'Yêu cầu không hợp lệ; không có gì thay đổi.',
  en: 'The request could not be read; nothing was changed.',
};
