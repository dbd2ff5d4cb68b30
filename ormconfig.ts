// The DataSource for the TypeORM CLI (`npm run typeorm -- migration:show`, …). The
// application builds the same one through createDatabase.
import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDatabase } from './src/db/data-source';

const config = loadConfig();
export default createDatabase({ url: config.databaseUrl, pgliteDir: config.pgliteDir }).dataSource;
