import type { ConsentTopic } from '../../policy';
import { TOPIC_LABELS } from '../../consents/consent-vocabulary';
import { escapeHtml, hiddenFields, htmlDocument, inline, paragraphs, type Bilingual } from './html';
import type { TopicState } from '../../consents/preference-centre.operations';
import { STOP_BUTTON } from './unsubscribe.page';

/**
 * The pages of the preference centre, Vietnamese then English: every topic with its
 * state and a button to change it, and apart from them, framed differently, the
 * cancellation of the registration with its confirmation step. Each form POSTs the
 * token in its body to the centre's own path; nothing personal is shown but the states.
 */

/** The `preference` field of each form: what the customer asks for. */
export const PREFERENCE_ACTIONS = ['view', 'topic', 'cancel-registration', 'confirm-cancel-registration'] as const;
export type PreferenceAction = (typeof PREFERENCE_ACTIONS)[number];

/** Relative to /unsubscribe?token=… and to /unsubscribe alike: the centre's own path. */
const FORM_ACTION = 'unsubscribe';

const TITLE = 'Petto · Tùy chọn email · Email preferences';
const RECEIVING: Bilingual = { vi: 'Đang nhận', en: 'Receiving' };
const NOT_RECEIVING: Bilingual = { vi: 'Không nhận', en: 'Not receiving' };
const RESUME: Bilingual = { vi: 'Nhận lại', en: 'Receive again' };
const CANCEL_REGISTRATION: Bilingual = { vi: 'Hủy đăng ký thông tin', en: 'Cancel my registration' };

/** What a confirmation must make plain: what stops, and what goes on. */
const CANCELLATION_EXPLAINED: Bilingual = {
  vi:
    'Khi hủy đăng ký thông tin, Petto ngừng gửi mọi email tiếp thị, không nhận đơn hàng mới từ bạn và ' +
    'chỉ giữ dữ liệu của bạn trong thời hạn chính sách quy định. Các đơn hàng đang mở vẫn được giao và ' +
    'bạn vẫn nhận thông báo về các đơn hàng đó. Việc này không thể hoàn tác qua liên kết này.',
  en:
    'When you cancel your registration, Petto stops every marketing email, takes no new orders from you ' +
    'and keeps your data only as long as the policy says. Orders already open are still delivered, and ' +
    'you still get the notices about them. This cannot be undone through this link.',
};

function form(action: PreferenceAction, token: string, inner: string, extra: Record<string, string> = {}): string {
  return `<form method="post" action="${FORM_ACTION}">${hiddenFields({ preference: action, token, ...extra })}${inner}</form>`;
}

function header(): string {
  return `
    <header><p class="brand">Petto</p></header>`;
}

/** Petto's name and where to write about one's data (PRIVACY_CONTACT). */
function footer(contact: string): string {
  return `
    <footer>${inline({ vi: 'Liên hệ về dữ liệu cá nhân', en: 'Privacy contact' })}: <span class="contact">${escapeHtml(contact)}</span></footer>`;
}

function topicRow({ topic, status }: TopicState, token: string): string {
  const receiving = status === 'GRANTED';
  const button = `<button type="submit" name="status" value="${receiving ? 'WITHDRAWN' : 'GRANTED'}">${inline(receiving ? STOP_BUTTON : RESUME)}</button>`;
  return `
        <li data-topic="${topic}" data-status="${status}">
          <span>${inline(TOPIC_LABELS[topic])}<br><span class="state">${inline(receiving ? RECEIVING : NOT_RECEIVING)}</span></span>
          ${form('topic', token, button, { topic })}
        </li>`;
}

function topicList(topics: readonly TopicState[], token: string): string {
  return `
    <section class="topics">
      <h2>${inline({ vi: 'Các loại email', en: 'Kinds of email' })}</h2>
      <ul>${topics.map((state) => topicRow(state, token)).join('')}
      </ul>
    </section>`;
}

function registrationSection(token: string): string {
  const open = `<button type="submit" class="open">${inline(CANCEL_REGISTRATION)}…</button>`;
  return `
    <section class="registration">
      <h2>${inline(CANCEL_REGISTRATION)}</h2>
      <p lang="vi">Không chỉ ngừng nhận email: hủy toàn bộ đăng ký của bạn tại Petto.</p>
      <p lang="en">More than stopping emails: cancels your whole registration with Petto.</p>
      ${form('cancel-registration', token, open)}
    </section>`;
}

export interface CentreView {
  token: string;
  contact: string;
  topics: readonly TopicState[];
  /** What the page says first: the link's question, or what the last change did. */
  lead: Bilingual;
  /** Set on the link's own page while it is unused: its one-click form, first on the page. */
  oneClick?: string;
}

export function preferenceCentrePage({ token, contact, topics, lead, oneClick }: CentreView): string {
  const body = `${header()}${paragraphs(lead)}${oneClick ?? ''}${topicList(topics, token)}${registrationSection(token)}${footer(contact)}`;
  return htmlDocument(TITLE, body);
}

/** The confirmation step: no change yet; a clearly destructive button and a way back. */
export function cancelConfirmationPage(token: string, contact: string): string {
  const confirm = `<button type="submit">${inline({ vi: 'Xác nhận hủy đăng ký thông tin', en: 'Yes, cancel my registration' })}</button>`;
  const back = `<button type="submit" class="secondary">${inline({ vi: 'Quay lại', en: 'Go back' })}</button>`;
  const body = `${header()}
    <h1>${inline(CANCEL_REGISTRATION)}?</h1>${paragraphs(CANCELLATION_EXPLAINED)}
    ${form('confirm-cancel-registration', token, confirm)}
    ${form('view', token, back)}${footer(contact)}`;
  return htmlDocument(`Petto · ${CANCEL_REGISTRATION.vi} · ${CANCEL_REGISTRATION.en}`, body);
}

export function registrationCancelledPage(contact: string): string {
  const done: Bilingual = {
    vi: 'Bạn đã hủy đăng ký thông tin tại Petto. Petto không gửi email tiếp thị nào nữa; các đơn hàng đang mở vẫn được giao.',
    en: 'Your registration with Petto is cancelled. Petto sends you no more marketing emails; orders already open are still delivered.',
  };
  return htmlDocument(
    `Petto · ${CANCEL_REGISTRATION.vi} · ${CANCEL_REGISTRATION.en}`,
    `${header()}${paragraphs(done)}${footer(contact)}`,
  );
}

/** The same for a cancelled registration and an erased person: it tells neither apart. */
export function closedRegistrationPage(contact: string): string {
  const closed: Bilingual = {
    vi: 'Không có tùy chọn email nào để thay đổi qua liên kết này, và Petto không gửi email tiếp thị theo đăng ký này.',
    en: 'There are no email preferences to change through this link, and Petto sends no marketing email for this registration.',
  };
  return htmlDocument(TITLE, `${header()}${paragraphs(closed)}${footer(contact)}`);
}

/** The lead after a change of one topic. */
export function topicChanged(topic: ConsentTopic, receiving: boolean): Bilingual {
  const { vi, en } = TOPIC_LABELS[topic];
  return receiving
    ? { vi: `Đã lưu: bạn sẽ nhận lại ${vi} từ Petto.`, en: `Saved: you will receive ${en} from Petto again.` }
    : { vi: `Đã lưu: bạn đã ngừng nhận ${vi} từ Petto.`, en: `Saved: you will no longer receive ${en} from Petto.` };
}
