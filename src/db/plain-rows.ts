import type { EntityManager, EntityMetadata, ObjectLiteral } from 'typeorm';
import { selectList } from './raw-sql';

/** An entity's columns as a select list, and the entity made of one row of it. */
export interface PlainColumns<T> {
  select: string;
  toEntity: (row: Record<string, unknown>) => T;
}

/** Column types that pg returns as TypeORM would hydrate them (a `date`, say, would differ: pg makes a Date of it, TypeORM a string). */
const PLAIN_TYPES = new Set<unknown>(['uuid', 'text', 'varchar', 'int', 'integer', 'boolean', 'timestamptz']);

const known = new WeakMap<EntityMetadata, Map<string, PlainColumns<ObjectLiteral>>>();

/**
 * An entity's columns as a select list on `alias`, each named after its property (virtual
 * columns as their subqueries, columns marked `select: false` left out), and the entity
 * made of such a row. The hot list paths read plain rows this way, from the entity's own
 * column definitions but without the query builder's SQL generation and hydration, which
 * cost about as much CPU as reading the rows. Only for entities whose columns pg returns as
 * they are: one with relations, embedded columns, transformers or other column types is
 * refused the first time it is asked for.
 */
export function plainColumns<T extends ObjectLiteral>(
  db: EntityManager,
  entity: new () => T,
  alias: string,
): PlainColumns<T> {
  const metadata = db.connection.getMetadata(entity);
  let byAlias = known.get(metadata);
  if (!byAlias) known.set(metadata, (byAlias = new Map()));
  let columns = byAlias.get(alias);
  if (!columns) byAlias.set(alias, (columns = selectListOf(metadata, entity, alias)));
  return columns as PlainColumns<T>;
}

function selectListOf<T extends ObjectLiteral>(
  metadata: EntityMetadata,
  entity: new () => T,
  alias: string,
): PlainColumns<T> {
  if (metadata.relations.length > 0 || metadata.embeddeds.length > 0) {
    throw new Error(`${metadata.name} has relations or embedded columns: it cannot be read as plain rows`);
  }
  const selected = metadata.columns.filter((column) => column.isSelect);
  for (const column of selected) {
    if (column.transformer || !PLAIN_TYPES.has(column.type)) {
      throw new Error(
        `${metadata.name}.${column.propertyName} cannot be read as a plain value (${String(column.type)})`,
      );
    }
  }
  const select = selectList(
    Object.fromEntries(
      selected.map((column) => [
        column.propertyName,
        column.isVirtualProperty && column.query ? `(${column.query(alias)})` : `${alias}.${column.databaseName}`,
      ]),
    ),
  );
  return { select, toEntity: (row) => Object.assign(new entity(), row) };
}
