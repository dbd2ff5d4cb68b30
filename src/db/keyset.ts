import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { groupBy } from '../collections';
import { whereAll, type Place } from './raw-sql';

/**
 * Keyset pagination: every list is ordered newest first by (a timestamp, id), and a
 * page starts strictly after the (timestamp, id) of the previous page's last row. It
 * stays fast and stable however deep the page, unlike OFFSET.
 */
export interface Keyset {
  at: Date;
  id: string;
}

export interface Page {
  limit: number;
  after?: Keyset;
}

/** Columns are SQL names on `alias`, e.g. ('c', 'created_at'). */
function afterKeyset<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  timeColumn: string,
  page: Page,
) {
  if (page.after) {
    qb.andWhere(`(${alias}.${timeColumn}, ${alias}.id) < (:afterAt, :afterId)`, {
      afterAt: page.after.at,
      afterId: page.after.id,
    });
  }
  return qb;
}

/** One page of entities, plus one row so the caller can tell whether more follow. */
export function keysetPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  timeColumn: string,
  page: Page,
): Promise<T[]> {
  return afterKeyset(qb, alias, timeColumn, page)
    .orderBy(`${alias}.${timeColumn}`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(page.limit + 1)
    .getMany();
}

/**
 * A page's rows plus one, written into a raw statement's text rather than passed as a
 * parameter: with `LIMIT $n` PostgreSQL finds no generic plan for a prepared statement
 * and plans it anew on every execution.
 */
function rowsToRead(page: Page): number {
  return Math.trunc(page.limit) + 1;
}

/**
 * The same page for a raw statement: the condition that starts it after the cursor
 * (none on the first page), and its ORDER BY and LIMIT. `place` takes a parameter's
 * value and answers its placeholder.
 */
export function keysetSql(
  alias: string,
  timeColumn: string,
  page: Page,
  place: Place,
): { after: string[]; orderAndLimit: string } {
  const after = page.after
    ? [`(${alias}.${timeColumn}, ${alias}.id) < (${place(page.after.at)}, ${place(page.after.id)})`]
    : [];
  return {
    after,
    orderAndLimit: `ORDER BY ${alias}.${timeColumn} DESC, ${alias}.id DESC LIMIT ${rowsToRead(page)}`,
  };
}

/**
 * The same page for each of many parents, for a raw statement: a subquery of the ids of
 * the limit + 1 newest rows per parent (a ranked window per parent) among those of `from`
 * (a table and its alias, e.g. 'orders o') that meet `conditions`.
 */
export function pagesPerParentIdsSql(
  spec: { from: string; alias: string; parentColumn: string; timeColumn: string; conditions: string[]; page: Page },
  place: Place,
): string {
  const { from, alias, parentColumn, timeColumn, conditions, page } = spec;
  const { after } = keysetSql(alias, timeColumn, page, place);
  return `SELECT ranked.id FROM (
      SELECT ${alias}.id, row_number() OVER (
               PARTITION BY ${alias}.${parentColumn} ORDER BY ${alias}.${timeColumn} DESC, ${alias}.id DESC) AS rank
        FROM ${from} ${whereAll([...conditions, ...after])}) ranked
    WHERE ranked.rank <= ${rowsToRead(page)}`;
}

/**
 * The same page for each of many parents, in one statement (a ranked window per
 * parent): what a DataLoader needs for a nested connection. `rows` selects the
 * candidate rows (with any scope applied); `parentOf` reads the parent id of a row.
 */
export async function keysetPagesPerParent<T extends ObjectLiteral>(
  db: EntityManager,
  rows: SelectQueryBuilder<T>,
  spec: {
    alias: string;
    parentColumn: string;
    timeColumn: string;
    parentIds: readonly string[];
    page: Page;
    parentOf: (row: T) => string;
  },
): Promise<Map<string, T[]>> {
  const { alias, parentColumn, timeColumn, parentIds, page, parentOf } = spec;
  const ranked = afterKeyset(
    rows
      .select(`${alias}.id`, 'id')
      .addSelect(
        `row_number() OVER (PARTITION BY ${alias}.${parentColumn} ORDER BY ${alias}.${timeColumn} DESC, ${alias}.id DESC)`,
        'rank',
      )
      .andWhere(`${alias}.${parentColumn} = ANY(:parentIds)`, { parentIds }),
    alias,
    timeColumn,
    page,
  );
  const found = await db
    .createQueryBuilder<T>(rows.expressionMap.mainAlias!.target, alias)
    .where(`${alias}.id IN (SELECT ranked.id FROM (${ranked.getQuery()}) ranked WHERE ranked.rank <= :perParent)`)
    .setParameters({ ...ranked.getParameters(), perParent: page.limit + 1 })
    .orderBy(`${alias}.${timeColumn}`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .getMany();
  return groupBy(found, parentOf);
}
