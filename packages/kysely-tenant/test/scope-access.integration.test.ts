import { createTestDatabase, type TestDatabase } from '@internal/test-harness'
import { isTenantError, type TenantErrorCode, type TenantStatus } from '@kysely-tenant/core'
import { PostgresDialect, sql } from 'kysely'
import type pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { TenantKysely } from '../src/scope/tenant-kysely.js'
import type { TenantKyselyConfig } from '../src/scope/tenant-kysely-config.js'
import {
  appSessionsEnded,
  quietPool,
  type ScopeTestDatabase,
  setStatus,
  setUpTenants,
  tableStatusSource,
} from './scope-fixture.js'

describe('withTenant access rules', () => {
  let database: TestDatabase
  let admin: pg.Pool
  const opened: Array<TenantKysely<ScopeTestDatabase>> = []

  // A fresh instance on a fresh pool, so `pool.totalCount === 0` proves nothing was sent.
  function connect(config: Partial<TenantKyselyConfig> = {}) {
    const pool = quietPool(database, { max: 2 })
    const source = tableStatusSource(admin)
    const db = new TenantKysely<ScopeTestDatabase>({
      dialect: new PostgresDialect({ pool }),
      statusSource: source,
      ...config,
    })
    opened.push(db)
    return { db, pool, source }
  }

  beforeAll(async () => {
    database = await createTestDatabase()
    admin = database.pool({ max: 2 })
    await setUpTenants(admin, [
      { slug: 'ready', status: 'provisioned' },
      { slug: 'fresh', status: 'active' },
      { slug: 'paused', status: 'suspended' },
      { slug: 'gone', status: 'deleted' },
      { slug: 'flaky', status: 'provisioned' },
    ])
  })
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()))
    await appSessionsEnded(admin)
  })
  afterAll(() => database.drop())

  type Use = (db: TenantKysely<ScopeTestDatabase>, slug: string) => Promise<unknown>
  const uses: Array<[string, Use]> = [
    [
      'a builder query',
      (db, slug) => db.withTenant(slug).selectFrom('marker').selectAll().execute(),
    ],
    ['the callback form', (db, slug) => db.withTenant(slug, (trx) => sql`select 1`.execute(trx))],
    [
      'transaction()',
      (db, slug) =>
        db
          .withTenant(slug)
          .transaction()
          .execute(async () => {}),
    ],
    [
      'startTransaction()',
      async (db, slug) => {
        const trx = await db.withTenant(slug).startTransaction().execute()
        await trx.commit().execute() // a held connection would keep the pool from ending
      },
    ],
    [
      'connection()',
      (db, slug) =>
        db
          .withTenant(slug)
          .connection()
          .execute(async () => {}),
    ],
  ]
  const refusals: Array<[string, TenantStatus | 'unknown', TenantErrorCode]> = [
    ['nobody', 'unknown', 'TENANT_NOT_FOUND'],
    ['fresh', 'active', 'TENANT_NOT_PROVISIONED'],
    ['paused', 'suspended', 'TENANT_SUSPENDED'],
    ['gone', 'deleted', 'TENANT_DELETED'],
  ]

  describe.each(uses)('through %s', (_, use) => {
    it.each(refusals)(
      'refuses %s (%s) with %s before any query runs',
      async (slug, _status, code) => {
        const { db, pool } = connect()
        const error = await use(db, slug).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(isTenantError(error, code)).toBe(true)
        expect(pool.totalCount).toBe(0) // not one connection opened, let alone a query
      },
    )

    it('lets a provisioned tenant through', async () => {
      const { db } = connect()
      await expect(use(db, 'ready')).resolves.not.toThrow()
    })
  })

  it.each(['Acme', 'acme_corp', '-acme', 'a', 'acme--corp'])(
    'refuses the malformed slug %j with INVALID_SLUG before any I/O',
    async (slug) => {
      const { db, pool, source } = connect()
      expect(() => db.withTenant(slug)).toThrow(expect.objectContaining({ code: 'INVALID_SLUG' }))
      await expect(db.withTenant(slug, async () => 1)).rejects.toMatchObject({
        code: 'INVALID_SLUG',
      })
      expect(source.lookups).toBe(0)
      expect(pool.totalCount).toBe(0)
    },
  )

  it('looks a status up once per TTL, sharing one lookup between concurrent calls', async () => {
    const { db, source } = connect({ statusCacheTtlMs: 60_000 })
    await Promise.all(
      Array.from({ length: 50 }, () =>
        db.withTenant('ready').selectFrom('marker').selectAll().execute(),
      ),
    )
    for (let i = 0; i < 20; i++)
      await db.withTenant('ready').selectFrom('marker').selectAll().execute()
    expect(source.lookups).toBe(1)
  })

  it('looks the status up again once the TTL has passed', async () => {
    const { db, source } = connect({ statusCacheTtlMs: 50 })
    await db.withTenant('ready').selectFrom('marker').selectAll().execute()
    await new Promise((resolve) => setTimeout(resolve, 80))
    await db.withTenant('ready').selectFrom('marker').selectAll().execute()
    expect(source.lookups).toBe(2)
  })

  it('refuses a tenant suspended in this process at once after invalidateTenant', async () => {
    const { db } = connect({ statusCacheTtlMs: 60_000 })
    const scoped = db.withTenant('flaky')
    await scoped.selectFrom('marker').selectAll().execute()
    await setStatus(admin, 'flaky', 'suspended')
    try {
      db.invalidateTenant('flaky')
      // The instance obtained before the suspension is refused too: the check is per connection.
      await expect(scoped.selectFrom('marker').selectAll().execute()).rejects.toMatchObject({
        code: 'TENANT_SUSPENDED',
      })
    } finally {
      await setStatus(admin, 'flaky', 'provisioned')
    }
  })

  it('refuses a tenant whose registered schema differs from the derived one', async () => {
    const { db } = connect({ tenancy: { schemaPrefix: 'org_' } })
    await expect(
      db.withTenant('ready').selectFrom('marker').selectAll().execute(),
    ).rejects.toMatchObject({
      code: 'MISCONFIGURED',
      message: expect.stringContaining('"tenant_ready"'),
    })
  })
})
