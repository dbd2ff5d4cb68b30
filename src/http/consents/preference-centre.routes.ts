import type express from 'express';
import type { DataSource } from 'typeorm';
import { logger } from '../../logger';
import { isConsentTopic, type ConsentTopic } from '../../policy';
import { CONSENT_STATUSES, type ConsentStatus } from '../../consents/consent-vocabulary';
import type { Bilingual } from './html';
import {
  cancelRegistration,
  changeTopic,
  readPreferences,
  type Preferences,
} from '../../consents/preference-centre.operations';
import {
  cancelConfirmationPage,
  closedRegistrationPage,
  PREFERENCE_ACTIONS,
  preferenceCentrePage,
  registrationCancelledPage,
  topicChanged,
  type PreferenceAction,
} from './preference-centre.page';
import { sendHtml, sendPage, singleValue } from './unsubscribe-http';
import { UnsubscribeLinkRejected, type UnsubscribeLink, type UnsubscribeLinks } from '../../consents/unsubscribe-links';
import { BAD_REQUEST, FAILURE, oneClickForm, rejectionPage, wordsFor } from './unsubscribe.page';

/**
 * The preference centre at the HTTP edge. GET /unsubscribe?token=… shows it (and changes
 * nothing: mail scanners fetch links); its forms POST to /unsubscribe with a `preference`
 * field and the token in the body. No cookies and no session: the signed token is the
 * only authority, so a page elsewhere cannot make a browser change anything without it.
 */

export interface PreferenceCentreSettings {
  dataSource: DataSource;
  links: UnsubscribeLinks;
  /** Shown on every page: where to write about one's data (PRIVACY_CONTACT). */
  privacyContact: string;
  policyVersion: string;
}

/** A form that is not one the centre made (an unknown action, topic or status). */
class UnreadableForm extends Error {}

const CHOOSE: Bilingual = {
  vi: 'Chọn những loại email bạn muốn nhận từ Petto.',
  en: 'Choose which kinds of email you want from Petto.',
};

function linkLead(link: UnsubscribeLink, used: boolean): Bilingual {
  const { vi, en } = wordsFor(link.topic);
  if (used) {
    return {
      vi: `Liên kết này đã được sử dụng để ngừng nhận ${vi}. Trạng thái hiện tại của từng loại email ở bên dưới.`,
      en: `This link has already been used to stop ${en}. The current state of each kind of email is below.`,
    };
  }
  return {
    vi: `Bạn muốn ngừng nhận ${vi} từ Petto? Bấm nút bên dưới để xác nhận, hoặc chọn từng loại email.`,
    en: `Stop receiving ${en} from Petto? Press the button below to confirm, or choose kind by kind.`,
  };
}

/** Renders the page `render` makes, or the refusal or failure it ran into; never a stack trace. */
async function respond(res: express.Response, render: () => Promise<string>): Promise<void> {
  try {
    sendHtml(res, 200, await render());
  } catch (error) {
    if (error instanceof UnsubscribeLinkRejected) return sendPage(res, 400, rejectionPage(error));
    if (error instanceof UnreadableForm) return sendPage(res, 400, BAD_REQUEST);
    logger.error({ err: error }, 'preference centre failed');
    sendPage(res, 500, FAILURE);
  }
}

function choice<T extends string>(value: unknown, accepts: (v: string) => v is T): T {
  const single = singleValue(value);
  if (single === undefined || !accepts(single)) throw new UnreadableForm();
  return single;
}

const isAction = (v: string): v is PreferenceAction => (PREFERENCE_ACTIONS as readonly string[]).includes(v);
const isStatus = (v: string): v is ConsentStatus => (CONSENT_STATUSES as readonly string[]).includes(v);

/** Whether a POST to /unsubscribe is one of the centre's forms rather than an RFC 8058 one-click. */
export function isPreferenceForm(req: express.Request): boolean {
  return typeof req.body === 'object' && req.body !== null && 'preference' in req.body;
}

function centrePage(
  { privacyContact }: PreferenceCentreSettings,
  token: string,
  preferences: Preferences,
  lead: Bilingual,
  oneClick?: string,
): string {
  if (!preferences.open) return closedRegistrationPage(privacyContact);
  return preferenceCentrePage({ token, contact: privacyContact, topics: preferences.topics, lead, oneClick });
}

async function changeOneTopic(
  settings: PreferenceCentreSettings,
  link: UnsubscribeLink,
  token: string,
  body: Record<string, unknown>,
): Promise<string> {
  const topic: ConsentTopic = choice(body.topic, isConsentTopic);
  const status = choice(body.status, isStatus);
  const preferences = await changeTopic(settings.dataSource, link, {
    topic,
    status,
    policyVersion: settings.policyVersion,
  });
  if (preferences.open) logger.info({ topic, status }, 'consent changed in the preference centre');
  return centrePage(settings, token, preferences, topicChanged(topic, status === 'GRANTED'));
}

async function cancel({ dataSource, policyVersion, privacyContact }: PreferenceCentreSettings, link: UnsubscribeLink) {
  const cancelled = await cancelRegistration(dataSource, link, { policyVersion, now: new Date() });
  if (cancelled) logger.info('registration cancelled in the preference centre');
  return cancelled ? registrationCancelledPage(privacyContact) : closedRegistrationPage(privacyContact);
}

/** One of the centre's forms: the token in its body is verified before anything else is read. */
async function act(settings: PreferenceCentreSettings, body: Record<string, unknown>): Promise<string> {
  const action = choice(body.preference, isAction);
  const token = singleValue(body.token);
  const link = await settings.links.verify(token);
  const verified = token as string;
  if (action === 'topic') return changeOneTopic(settings, link, verified, body);
  if (action === 'confirm-cancel-registration') return cancel(settings, link);
  const preferences = await readPreferences(settings.dataSource, link);
  if (action === 'view' || !preferences.open) return centrePage(settings, verified, preferences, CHOOSE);
  return cancelConfirmationPage(verified, settings.privacyContact);
}

/** The GET page for the link, led by its own one-click button while it is unused. */
async function show(settings: PreferenceCentreSettings, token: string | undefined): Promise<string> {
  const { link, used } = await settings.links.inspect(settings.dataSource, token);
  const verified = token as string;
  const preferences = await readPreferences(settings.dataSource, link);
  return centrePage(settings, verified, preferences, linkLead(link, used), used ? undefined : oneClickForm(verified));
}

export function preferenceCentre(settings: PreferenceCentreSettings): Record<'show' | 'post', express.RequestHandler> {
  return {
    show: (req, res) => respond(res, () => show(settings, singleValue(req.query.token))),
    post: (req, res) => respond(res, () => act(settings, req.body as Record<string, unknown>)),
  };
}
