export * from './vocabulary';
export * from './rules';
export * from './decide';
export * from './send';
