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
