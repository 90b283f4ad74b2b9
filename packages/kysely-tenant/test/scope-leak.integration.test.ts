import { createTestDatabase, type TestDatabase } from '@internal/test-harness'
import { slugToSchemaName } from '@kysely-tenant/core'
import { PostgresDialect } from 'kysely'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TenantKysely } from '../src/scope/tenant-kysely.js'
import {
  appSessionsEnded,
  defaultSearchPath,
  quietPool,
  type ScopeTestDatabase,
  setUpTenants,
  tableStatusSource,
} from './scope-fixture.js'
import { expectNoLeak, runLeakTest, searchPathsOfAll } from './scope-leak-run.js'

const SLUGS = Array.from({ length: 100 }, (_, i) => `leak-${i}`)
// The figure for both pools: 20,000 transactions (200 per tenant). Through a pool of
// 1 every round trip waits for the previous one, which takes about 20 s here.
const RUNS: Array<[poolSize: number, total: number]> = [
  [10, 20_000],
  [1, 20_000],
]

describe('withTenant never leaks a tenant between transactions on a shared pool', () => {
  let database: TestDatabase
  let admin: pg.Pool
  let serverDefault: string

  beforeAll(async () => {
    database = await createTestDatabase()
    admin = database.pool({ max: 2 })
    await setUpTenants(
      admin,
      SLUGS.map((slug) => ({ slug, status: 'provisioned' as const })),
    )
    serverDefault = await defaultSearchPath(admin)
  })
  afterAll(() => database.drop())

  it.each(RUNS)(
    'through a pool of %i: %i concurrent scoped transactions over 100 tenants, one in ten failing, no wrong read, no leaked search path',
    async (poolSize, total) => {
      await admin.query(SLUGS.map((s) => `truncate ${slugToSchemaName(s)}.entries;`).join('\n'))
      // idleTimeoutMillis 0: the pool keeps its connections, so the ones checked afterwards
      // are the ones that ran the transactions.
      const pool = quietPool(database, { max: poolSize, idleTimeoutMillis: 0 })
      const db = new TenantKysely<ScopeTestDatabase>({
        dialect: new PostgresDialect({ pool }),
        statusSource: tableStatusSource(admin),
      })
      const result = await runLeakTest(db, SLUGS, total)

      await expectNoLeak(result, admin, SLUGS, total)

      const after = await searchPathsOfAll(pool, poolSize)
      expect(after.map((c) => c.searchPath)).toEqual(Array(poolSize).fill(serverDefault))
      // The connections checked are exactly the ones that served the scoped transactions.
      expect(new Set(after.map((c) => c.pid))).toEqual(result.backends)
      await db.destroy()
      await appSessionsEnded(admin)
    },
    // 20,000 transactions through one connection, while other test files share the 2 cores.
    240_000,
  )
})
