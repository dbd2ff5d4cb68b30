import type { TestGateway } from './gateway';

/**
 * The preference centre behind an unsubscribe link (GET /unsubscribe?token=…): what its
 * tests share. Forms are submitted as a browser would: found in the page, with their
 * hidden fields and the pressed button's name and value, POSTed to their resolved action.
 */

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

  return { endpoint, open, post, submit, statesShown, customerRow };
}
