import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request whose trail records only refusals (WITHHELD) does not wait for the disk to
 * flush its row. The row is still written, in the same statement, before the response
 * leaves; only the commit returns without waiting for the WAL flush (synchronous_commit
 * off for that one transaction). A crash of the database in the next fraction of a second
 * (three times wal_writer_delay, 0.6 s by default) could lose such a row, and with it
 * the record of a refusal, never of a disclosure: a release or a match still waits for
 * its row to be on disk before any value leaves (fail-closed).
 *
 * Why: on storage where a flush takes milliseconds, the flush, not the SQL, was most of
 * what a refused page cost (the bench's analyst page).
 *
 * The function that writes is kept as `write_disclosures`; `record_disclosures` chooses
 * the commit and calls it. The choice holds for the whole transaction it runs in, so a
 * caller that also writes something else in that transaction must not record refusals
 * alone through it.
 */
export class DenialsWithoutWaitingForDisk1764660000000 implements MigrationInterface {
  name = 'DenialsWithoutWaitingForDisk1764660000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER FUNCTION record_disclosures(jsonb, integer, timestamptz) RENAME TO write_disclosures`);
    await db.query(`
      CREATE FUNCTION record_disclosures(request jsonb, lim integer, since timestamptz)
      RETURNS uuid[] LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(request->'records') r
                        WHERE r->>'decision' <> 'WITHHELD') THEN
          PERFORM set_config('synchronous_commit', 'off', true);
        END IF;
        RETURN write_disclosures(request, lim, since);
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION record_disclosures(jsonb, integer, timestamptz)`);
    await db.query(`ALTER FUNCTION write_disclosures(jsonb, integer, timestamptz) RENAME TO record_disclosures`);
  }
}
