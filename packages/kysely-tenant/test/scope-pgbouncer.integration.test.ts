import {
  createTestDatabase,
  findPgBouncer,
  type PgBouncer,
  startPgBouncer,
  type TestDatabase,
} from '@internal/test-harness'
import { PostgresDialect } from 'kysely'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { TenantKysely } from '../src/scope/tenant-kysely.js'
import {
  defaultSearchPath,
  type ScopeTestDatabase,
  setUpTenants,
  tableStatusSource,
} from './scope-fixture.js'
import { expectNoLeak, runLeakTest, searchPathsOfAll } from './scope-leak-run.js'

const SLUGS = Array.from({ length: 100 }, (_, i) => `bounce-${i}`)
const TOTAL = 20_000
// Fewer server connections than client connections: PgBouncer hands each server session to
// many clients in turn, which is where a session-level SET would leak.
const SERVER_POOL = 5
const CLIENT_POOL = 20

// .ci/setup-pgbouncer installs it in CI; elsewhere the file says why it did not run.
describe.skipIf(!findPgBouncer())('withTenant through PgBouncer in transaction mode', () => {
  let database: TestDatabase
  let admin: pg.Pool
  let bouncer: PgBouncer
  let serverDefault: string

  beforeAll(async () => {
    database = await createTestDatabase()
    admin = database.pool({ max: 2 })
    await setUpTenants(
      admin,
      SLUGS.map((slug) => ({ slug, status: 'provisioned' as const })),
    )
    serverDefault = await defaultSearchPath(admin)
    bouncer = await startPgBouncer({
      serverUrl: inject('pgAdminUrl'),
      poolMode: 'transaction',
      poolSize: SERVER_POOL,
    })
  })
  afterAll(async () => {
    await bouncer?.stop()
    await database.drop()
  })

  it(`runs ${TOTAL} concurrent scoped transactions over 100 tenants, one in ten failing, with no wrong read and no leaked search path`, async () => {
    const url = bouncer.url(database.name)
    const pool = database.pool({ connectionString: url, max: CLIENT_POOL })
    const db = new TenantKysely<ScopeTestDatabase>({
      dialect: new PostgresDialect({ pool }),
      statusSource: tableStatusSource(admin),
    })
    const result = await runLeakTest(db, SLUGS, TOTAL)
    await db.destroy()

    await expectNoLeak(result, admin, SLUGS, TOTAL)
    // The run went through at most SERVER_POOL server sessions, shared by CLIENT_POOL clients.
    expect(result.backends.size).toBeLessThanOrEqual(SERVER_POOL)

    // SERVER_POOL transactions held open at once occupy every server session PgBouncer has.
    const probe = database.pool({ connectionString: url, max: SERVER_POOL })
    const after = await searchPathsOfAll(probe, SERVER_POOL)
    expect(after.map((c) => c.searchPath)).toEqual(Array(SERVER_POOL).fill(serverDefault))
    expect(new Set(after.map((c) => c.pid))).toEqual(result.backends)
  })
})
