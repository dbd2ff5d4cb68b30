import { randomUUID } from 'node:crypto';
import { describeOnEachDatabase } from '../support/gateway';

/**
 * A trail row of a release waits for the disk before the response leaves; a row that
 * records only refusals is written just as surely but does not wait for the flush
 * (migration DenialsWithoutWaitingForDisk). The commit mode is what the database holds
 * for the transaction once the trail statement has run.
 */
type Decision = 'RELEASED' | 'MATCHED' | 'CORRECTED' | 'WITHHELD';

function request(decision: Decision, customerId: string) {
  return JSON.stringify({
    requestId: randomUUID(),
    principal: 'durability-test',
    role: 'SUPPORT_AGENT',
    records: [
      {
        purpose: 'CUSTOMER_CARE',
        customerIds: [customerId],
        fields: ['Customer.email'],
        decision,
        reason: decision === 'WITHHELD' ? 'PURPOSE_REQUIRED' : null,
      },
    ],
  });
}

describeOnEachDatabase('how the trail commits', (gateway) => {
  async function commitModeAfterRecording(decision: Decision): Promise<string> {
    const runner = gateway().database.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      const [{ id }] = await runner.query('SELECT id FROM customers LIMIT 1');
      await runner.query('SELECT record_disclosures($1::jsonb, NULL, NULL)', [request(decision, id)]);
      const [{ mode }] = await runner.query(`SELECT current_setting('synchronous_commit') AS mode`);
      return mode;
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  test('a release, a match or a correction waits for the disk; a row of refusals alone does not', async () => {
    expect(await commitModeAfterRecording('RELEASED')).toBe('on');
    expect(await commitModeAfterRecording('MATCHED')).toBe('on');
    // A correction is recorded inside the transaction that makes it: that commit stays durable.
    expect(await commitModeAfterRecording('CORRECTED')).toBe('on');
    expect(await commitModeAfterRecording('WITHHELD')).toBe('off');
  });

  test('a refused page is still on the trail when its response arrives', async () => {
    const response = await gateway().query({ role: 'ANALYST' }, '{ customers(first: 3) { edges { node { email } } } }');
    expect(response.errors?.map((error) => error.extensions?.code)).toContain('PURPOSE_NOT_ALLOWED');
    const rows = await gateway().database.dataSource.query(
      'SELECT decision, cardinality(customer_ids) AS customers FROM audit_trail WHERE request_id = $1',
      [response.requestId],
    );
    expect(rows).toEqual([{ decision: 'WITHHELD', customers: 3 }]);
  });
});
