import type { ConsentTopic } from '../policy';
import { TOPIC_LABELS } from './consent-vocabulary';
import type { UnsubscribeLink, UnsubscribeLinkRejected, UnsubscribeOutcome } from './unsubscribe-links';

/**
 * What the unsubscribe routes show a person: small self-contained pages, Vietnamese then
 * English, for the confirmation, the outcome and each refusal. The same words serve the
 * plain-text answer to a mail provider's one-click POST.
 */

const TOPIC_WORDS: Record<ConsentTopic | 'ALL', { vi: string; en: string }> = {
  ...TOPIC_LABELS,
  ALL: { vi: 'mọi email tiếp thị', en: 'all marketing emails' },
};

function wordsFor(topic: ConsentTopic | undefined) {
  return TOPIC_WORDS[topic ?? 'ALL'];
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

export interface Page {
  title: string;
  vi: string;
  en: string;
  /** The token to POST back, when the page offers the button. */
  confirmToken?: string;
}

/** Self-contained: no external assets, nothing to fetch, nothing that could leak the token. */
export function renderPage({ title, vi, en, confirmToken }: Page): string {
  const form =
    confirmToken === undefined
      ? ''
      : `
    <form method="post" action="?token=${escapeHtml(encodeURIComponent(confirmToken))}">
      <input type="hidden" name="List-Unsubscribe" value="One-Click">
      <button type="submit"><span lang="vi">Hủy đăng ký</span> · <span lang="en">Unsubscribe</span></button>
    </form>`;
  return `<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>${escapeHtml(title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
    section + section { margin-top: 1.5rem; padding-top: 1.5rem; border-top: 1px solid #ddd; }
    button { font-size: 1rem; padding: .6rem 1.2rem; border: 0; border-radius: .3rem; background: #b03a2e; color: #fff; cursor: pointer; }
  </style>
</head>
<body>
  <main>
    <section lang="vi"><p>${escapeHtml(vi)}</p></section>
    <section lang="en"><p>${escapeHtml(en)}</p></section>${form}
  </main>
</body>
</html>
`;
}

export function confirmationPage(link: UnsubscribeLink, token: string): Page {
  const { vi, en } = wordsFor(link.topic);
  return {
    title: 'Hủy đăng ký · Unsubscribe',
    vi: `Bạn muốn ngừng nhận ${vi} từ Petto? Bấm nút bên dưới để xác nhận.`,
    en: `Stop receiving ${en} from Petto? Press the button below to confirm.`,
    confirmToken: token,
  };
}

export function outcomePage(outcome: UnsubscribeOutcome): Page {
  const { vi, en } = wordsFor(outcome.topic);
  if (outcome.alreadyUsed) {
    return {
      title: 'Đã hủy đăng ký · Already unsubscribed',
      vi: `Liên kết này đã được sử dụng: bạn đã ngừng nhận ${vi} từ Petto.`,
      en: `This link has already been used: you no longer receive ${en} from Petto.`,
    };
  }
  return {
    title: 'Đã hủy đăng ký · Unsubscribed',
    vi: `Bạn đã ngừng nhận ${vi} từ Petto. Thay đổi có hiệu lực ngay lập tức.`,
    en: `You will no longer receive ${en} from Petto. This takes effect immediately.`,
  };
}

export function rejectionPage(rejection: UnsubscribeLinkRejected): Page {
  if (rejection.reason === 'EXPIRED') {
    return {
      title: 'Liên kết đã hết hạn · Link expired',
      vi: 'Liên kết hủy đăng ký này đã hết hạn; không có gì thay đổi. Hãy dùng liên kết trong một email mới hơn, hoặc liên hệ Petto.',
      en: 'This unsubscribe link has expired; nothing was changed. Please use the link in a more recent email, or contact Petto.',
    };
  }
  return {
    title: 'Liên kết không hợp lệ · Invalid link',
    vi: 'Liên kết hủy đăng ký này không hợp lệ; không có gì thay đổi. Hãy dùng đúng liên kết trong email, hoặc liên hệ Petto.',
    en: 'This unsubscribe link is not valid; nothing was changed. Please use the exact link from the email, or contact Petto.',
  };
}

export const FAILURE: Page = {
  title: 'Lỗi · Error',
  vi: 'Đã có lỗi xảy ra; không có gì thay đổi. Vui lòng thử lại sau.',
  en: 'Something went wrong; nothing was changed. Please try again later.',
};

export function tooMany(retryAfter: number): Page {
  return {
    title: 'Quá nhiều yêu cầu · Too many requests',
    vi: `Quá nhiều yêu cầu; vui lòng thử lại sau ${retryAfter} giây.`,
    en: `Too many requests; please try again in ${retryAfter} seconds.`,
  };
}

/** A body too large or malformed. */
export const BAD_REQUEST: Page = {
  title: 'Yêu cầu không hợp lệ · Bad request',
  vi: 'Yêu cầu không hợp lệ; không có gì thay đổi.',
  en: 'The request could not be read; nothing was changed.',
};
