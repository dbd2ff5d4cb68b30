import { startTracing } from './tracing';

/**
 * main.ts imports this module before any other, so that tracing (when configured) is on
 * before `http`, `graphql` and `pg` load: imports run in order, the code after them only later.
 */
export const stopTracing = startTracing();
