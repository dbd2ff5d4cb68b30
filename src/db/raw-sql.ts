// The pieces every hand-written statement of the hot paths is made of.

/** Adds a parameter's value to a statement and answers its placeholder. */
export type Place = (value: unknown) => string;

/**
 * The parameters of a raw statement in the making: `place` appends a value to `values`
 * and answers its placeholder ($1, $2, …), so that SQL can be written in the order it
 * reads whatever order its parts place their values in.
 */
export function positionalParameters(): { values: unknown[]; place: Place } {
  const values: unknown[] = [];
  return { values, place: (value) => `$${values.push(value)}` };
}

/** `expression AS "name"` for each column, by name. */
export function selectList(columns: Readonly<Record<string, string>>): string {
  return Object.entries(columns)
    .map(([name, expression]) => `${expression} AS "${name}"`)
    .join(', ');
}

/** The WHERE clause of conditions that must all hold; none at all, no clause. */
export function whereAll(conditions: readonly string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}
