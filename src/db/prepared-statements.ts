import { createHash } from 'node:crypto';
import { Client, type QueryConfig } from 'pg';

/**
 * How many statements one connection keeps prepared. The gateway sends a few dozen
 * statements over and over; a text built with a varying number of
 * placeholders would otherwise fill the server's memory with plans used once.
 */
const PREPARED_PER_CONNECTION = 200;

/** Names computed so far, by statement text, for the texts seen first (the gateway's own are far fewer). */
const names = new Map<string, string>();
const NAMES_REMEMBERED = 1_000;

/**
 * The statement's command and a hash of its text. Tracing names a prepared statement's
 * span after it (`pg.query:SELECT …`), so the command is kept readable there.
 */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    const command = text.trimStart().split(/\s/, 1)[0].toUpperCase();
    name = `${command} ${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
    if (names.size < NAMES_REMEMBERED) names.set(text, name);
  }
  return name;
}

/**
 * Whether a statement is worth preparing: any with parameters, and a lone SELECT without
 * any (the first page of customers has none, and planning it cost as much as running it).
 * Transaction control, DDL and multi-statement texts are sent as they are.
 */
function isPreparable(text: string, values: unknown[]): boolean {
  return values.length > 0 || (/^\s*(SELECT|WITH)\s/i.test(text) && !text.includes(';'));
}

/**
 * A pg client that sends each statement worth preparing as a named prepared statement,
 * so that PostgreSQL parses and plans it once per connection instead of once per request.
 * The policy's row facts make the gateway's statements costly to plan (correlated
 * subqueries, joins); planning was as much as executing them.
 *
 * Named statements live in the server session: behind a pooler in transaction mode
 * (PgBouncer) they need its prepared-statement support (`max_prepared_statements`,
 * PgBouncer 1.21 and later); `DATABASE_PREPARED_STATEMENTS=off` turns them off.
 */
export class PreparingClient extends Client {
  private readonly prepared = new Set<string>();

  // pg's query() has many overloads; TypeORM calls the (text, values?) one, the only one touched here.
  override query(...args: unknown[]): never {
    const [text, values = []] = args;
    if (typeof text === 'string' && Array.isArray(values) && args.length <= 2 && isPreparable(text, values)) {
      const name = statementName(text);
      if (this.prepared.has(name) || this.prepared.size < PREPARED_PER_CONNECTION) {
        this.prepared.add(name);
        const config: QueryConfig = { name, text, values };
        return super.query(config) as never;
      }
    }
    return (super.query as (...rest: unknown[]) => never)(...args);
  }
}
