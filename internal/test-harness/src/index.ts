export { pickServer, startEmbedded, type TestServer } from './pick-server.js'
export { createTestDatabase, databaseUrl, type TestDatabase } from './test-database.js'
