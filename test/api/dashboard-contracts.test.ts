import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOnEachDatabase, errorCodes } from '../support/gateway';

const contract = (name: string) =>
  readFileSync(join(__dirname, '../../contracts/dashboard', `${name}.graphql`), 'utf8');

describeOnEachDatabase('the dashboard contracts, run against the gateway', (gateway) => {
  test("MarketingAudience gives the dashboard each recipient's one-click unsubscribe link for the topic", async () => {
    const response = await gateway().query({ role: 'MARKETING', purpose: 'MARKETING' }, contract('MarketingAudience'), {
      topic: 'PROMOTIONS',
      first: 10,
    });
    expect(errorCodes(response)).toEqual([]);
    const nodes = response.data.marketingAudience.edges.map((edge: any) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      const url = new URL(node.unsubscribeUrl);
      expect(url.pathname).toBe('/unsubscribe');
      // The link stops the campaign's topic, the one the audience was drawn for.
      const [, payload] = url.searchParams.get('token')!.split('.');
      expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).topic).toBe('PROMOTIONS');
    }
  });
});
