import type { Browser } from 'playwright-core';
import { describeInBrowser, launchChromium } from '../support/browser';
import { TEST_DATABASES } from '../support/databases';
import { TestGateway } from '../support/gateway';

/** The page's document, in the functions that run in the browser (the project compiles without the DOM library). */
declare const document: { querySelector(selector: string): unknown };

/** What a carrier's developer would try first: its deliveries, with the recipients' phones. */
const DELIVERIES = `query MyDeliveries {
  deliveries(first: 10) {
    edges { node { code shipment { recipientName recipientPhone } } }
  }
}`;

/** The demo shop's parcel that GHN is still delivering, and one that Viettel Post is. */
const GHN_RECIPIENT_PHONE = '+84912345678';
const OTHER_CARRIERS_RECIPIENT_PHONE = '+84987654321';

/** The text of the CodeMirror 5 editor GraphiQL 3 keeps in the element `selector`. */
function editorText(selector: string): string | undefined {
  return (document.querySelector(selector) as any)?.CodeMirror?.getValue();
}

/** Whether the result pane holds an answer to the operation `name` (its data or errors). */
function answered(name: string): boolean {
  const text = (document.querySelector('.result-window .CodeMirror') as any)?.CodeMirror?.getValue();
  try {
    const answer = JSON.parse(text);
    return answer.data?.[name] !== undefined || answer.errors !== undefined;
  } catch {
    return false;
  }
}

describeInBrowser('the explorer in a browser (GraphiQL, offline)', () => {
  let gateway: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    gateway = await TestGateway.start(await TEST_DATABASES[0].open());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  test("a newcomer picks the carrier demo token and its purpose, runs a query, and sees the recipient's phone", async () => {
    const origin = new URL(gateway.url).origin;
    const page = await browser.newPage();
    const requested: string[] = [];
    const refusedByPolicy: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusedByPolicy.push(message.text());
    });

    await page.goto(`${origin}/graphql`);
    await page.selectOption('#explorer-token', { label: 'CARRIER ghn' });
    await page.selectOption('#explorer-purpose', 'SHIPPING');
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    await page.evaluate(
      (query) => ((document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.setValue(query), 0),
      DELIVERIES,
    );
    // GraphiQL reads the operation's name from the editor a moment after each change.
    await page.waitForFunction(
      (name) => (document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.operationName === name,
      'MyDeliveries',
    );
    await page.click('.graphiql-execute-button');
    // The result pane fills in once the answer is back.
    await page.waitForFunction(answered, 'deliveries');
    const result = JSON.parse((await page.evaluate(editorText, '.result-window .CodeMirror'))!);

    const phones = result.data.deliveries.edges.map((edge: any) => edge.node.shipment.recipientPhone);
    expect(phones).toContain(GHN_RECIPIENT_PHONE);
    expect(phones).not.toContain(OTHER_CARRIERS_RECIPIENT_PHONE);
    expect(result.errors).toBeUndefined();
    // Everything the page loaded, and every operation it sent, stayed on the gateway's origin.
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin)).toEqual([]);
    expect(refusedByPolicy).toEqual([]);
    await page.close();
  });
});

describeInBrowser('the explorer in production with EXPLORER=on', () => {
  let gateway: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    gateway = await TestGateway.start(await TEST_DATABASES[0].open(), { NODE_ENV: 'production', EXPLORER: 'on' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  test('offers no demo token: the user pastes one, and the operation runs with it', async () => {
    const page = await browser.newPage();
    await page.goto(`${new URL(gateway.url).origin}/graphql`);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    expect(await page.locator('#explorer-token').count()).toBe(0);
    await page.fill('#explorer-token-input', await gateway.token('SUPPORT_AGENT'));
    await page.locator('#explorer-token-input').dispatchEvent('change');
    await page.waitForSelector('.graphiql-execute-button');
    // The page's own example, `query Me`, is in the editor.
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(answered, 'me');
    const result = JSON.parse((await page.evaluate(editorText, '.result-window .CodeMirror'))!);
    expect(result).toEqual({
      data: { me: { id: 'test-support_agent', role: 'SUPPORT_AGENT', purposes: expect.any(Array), carrierId: null } },
    });
    await page.close();
  });
});
