import type { TestGateway } from './gateway';
import { rowCounts } from './writes';

/**
 * The preference centre behind an unsubscribe link (GET /unsubscribe?token=…): what its
 * tests share. Forms are submitted as a browser would: found in the page, with their
 * hidden fields and the pressed button's name and value, POSTed to their resolved action.
 */

/** One of each of the centre's forms, as an attacker would fill it in around a token. */
export const FORMS: Record<string, string>[] = [
  { preference: 'view' },
  { preference: 'topic', topic: 'NEWSLETTER', status: 'WITHDRAWN' },
  { preference: 'topic', topic: 'OFFERS', status: 'GRANTED' },
  { preference: 'cancel-registration' },
  { preference: 'confirm-cancel-registration' },
];

export interface PageAnswer {
  status: number;
  url: string;
  headers: Headers;
  body: string;
}

export interface Form {
  action: string;
  fields: Record<string, string>;
  /** The submit button's name and value, when it has them. */
  button?: [string, string];
}

function unescape(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every POST form of a page. */
export function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/g)].map(([, action, inner]) => {
    const fields: Record<string, string> = {};
    for (const [, name, value] of inner.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
      fields[unescape(name)] = unescape(value);
    }
    const button = inner.match(/<button type="submit"[^>]*? name="([^"]*)" value="([^"]*)"/);
    return { action: unescape(action), fields, button: button ? [button[1], button[2]] : undefined };
  });
}

/** Helpers bound to the suite's gateway. */
export function preferenceCentreThrough(gateway: () => TestGateway) {
  const endpoint = () => gateway().url.replace(/\/graphql$/, '/unsubscribe');

  async function read(response: Response): Promise<PageAnswer> {
    return { status: response.status, url: response.url, headers: response.headers, body: await response.text() };
  }

  function open(token: string): Promise<PageAnswer> {
    return fetch(`${endpoint()}?token=${encodeURIComponent(token)}`).then(read);
  }

  /** A POST of raw form fields to /unsubscribe (what an attacker could send too). */
  function post(fields: [string, string][] | Record<string, string>, query = ''): Promise<PageAnswer> {
    return fetch(`${endpoint()}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams(fields).toString(),
    }).then(read);
  }

  /** Submits the form of `page` whose fields include `match` (the one form that does). */
  async function submit(page: PageAnswer, match: Record<string, string>): Promise<PageAnswer> {
    const forms = formsOf(page.body).filter((form) =>
      Object.entries(match).every(
        ([name, value]) => form.fields[name] === value || form.button?.join('=') === `${name}=${value}`,
      ),
    );
    expect(forms).toHaveLength(1);
    const [form] = forms;
    const fields = { ...form.fields, ...(form.button ? { [form.button[0]]: form.button[1] } : {}) };
    return fetch(new URL(form.action, page.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams(fields).toString(),
    }).then(read);
  }

  /** Each topic's state as the page shows it. */
  function statesShown(page: PageAnswer): Record<string, string> {
    return Object.fromEntries(
      [...page.body.matchAll(/<li data-topic="([A-Z_]+)" data-status="([A-Z]+)">/g)].map(([, t, s]) => [t, s]),
    );
  }

  async function customerRow(customerId: string): Promise<Record<string, unknown>> {
    const [row] = await gateway().database.dataSource.query(
      `SELECT deregistered_at, deregistered_by, deregistration_channel, erased_at FROM customers WHERE id = $1`,
      [customerId],
    );
    return row;
  }

  /** Everything an attempt on the centre could have changed. */
  async function changeableState() {
    const db = gateway().database.dataSource;
    const [uses] = await db.query('SELECT count(*)::int AS n FROM unsubscribe_link_uses');
    const [deregistered] = await db.query('SELECT count(*)::int AS n FROM customers WHERE deregistered_at IS NOT NULL');
    return { rows: await rowCounts(gateway()), uses: uses.n, deregistered: deregistered.n };
  }

  return { endpoint, open, post, submit, statesShown, customerRow, changeableState };
}
