import type { EntityManager, QueryRunner } from 'typeorm';

/** Each batch of the sweep commits on its own, so a long sweep never holds one long transaction. */
export async function inBatchTransaction<T>(runner: QueryRunner, work: (db: EntityManager) => Promise<T>): Promise<T> {
  await runner.startTransaction();
  try {
    const result = await work(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
}
