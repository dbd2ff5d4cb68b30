import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOnEachDatabase, errorCodes } from '../support/gateway';

const contract = (name: string) =>
  readFileSync(join(__dirname, '../../contracts/dashboard', `${name}.graphql`), 'utf8');

describeOnEachDatabase('the dashboard contracts, run against the gateway', (gateway) => {
  test("MarketingAudience gives the dashboard each recipient's one-click unsubscribe link", async () => {
    const response = await gateway().query({ role: 'MARKETING', purpose: 'MARKETING' }, contract('MarketingAudience'), {
      topic: 'PROMOTIONS',
      first: 10,
    });
    expect(errorCodes(response)).toEqual([]);
    const nodes = response.data.marketingAudience.edges.map((edge: any) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes)
      expect(node.unsubscribeUrl).toMatch(/^http:\/\/localhost:\d+\/unsubscribe\?token=[\w.%-]+$/);
  });
});
