/**
 * How many rows a page (`first`) may hold, and holds when `first` is omitted. Kept apart
 * from the connection types so that the cost limit can read them without loading
 * type-graphql's decorators.
 */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
