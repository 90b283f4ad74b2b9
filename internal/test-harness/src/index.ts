export {
  findPgBouncer,
  type PgBouncer,
  type PgBouncerOptions,
  startPgBouncer,
} from './pgbouncer.js'
export {
  databaseUrl,
  pickServer,
  startEmbedded,
  type TestServer,
  withClient,
} from './pick-server.js'
export { createTestDatabase, type TestDatabase } from './test-database.js'
