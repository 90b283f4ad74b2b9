import { createTestDatabase, type TestDatabase } from '@internal/test-harness'
import { PostgresDialect } from 'kysely'
import type pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { TenantChangeListener } from '../src/scope/tenant-change-listener.js'
import { TenantKysely } from '../src/scope/tenant-kysely.js'
import {
  appSessionsEnded,
  quietPool,
  type ScopeTestDatabase,
  setStatus,
  setUpTenants,
  tableStatusSource,
} from './scope-fixture.js'

describe('tenant changes reach every process through LISTEN/NOTIFY', () => {
  let database: TestDatabase
  let admin: pg.Pool
  const opened: Array<TenantKysely<ScopeTestDatabase>> = []
  const listenerErrors: unknown[] = []

  // One "process": its own pool, its own status cache, its own LISTEN connection. The TTL is
  // a minute, so anything seen within the test comes from a notification, not from expiry.
  async function startProcess() {
    const db = new TenantKysely<ScopeTestDatabase>({
      dialect: new PostgresDialect({ pool: quietPool(database, { max: 2 }) }),
      statusSource: tableStatusSource(admin),
      statusCacheTtlMs: 60_000,
      listener: {
        connectionString: database.url,
        reconnectDelayMs: 100,
        onError: (error) => listenerErrors.push(error),
      },
    })
    opened.push(db)
    await db.startListening()
    return db
  }

  const read = (db: TenantKysely<ScopeTestDatabase>, slug: string) =>
    db.withTenant(slug).selectFrom('marker').select('value').execute()

  /** Milliseconds until `db` refuses `slug` with `code`, polling every 10 ms, up to 5 s. */
  async function msUntilRefused(db: TenantKysely<ScopeTestDatabase>, slug: string, code: string) {
    const started = performance.now()
    while (performance.now() - started < 5_000) {
      const error = await read(db, slug).then(
        () => undefined,
        (e: unknown) => e,
      )
      if (error) {
        expect(error).toMatchObject({ code })
        return performance.now() - started
      }
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    return Number.POSITIVE_INFINITY
  }

  beforeAll(async () => {
    database = await createTestDatabase()
    admin = database.pool({ max: 3 })
    await setUpTenants(admin, [
      { slug: 'acme', status: 'provisioned' },
      { slug: 'beta', status: 'provisioned' },
    ])
  })
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()))
    await appSessionsEnded(admin)
    for (const slug of ['acme', 'beta']) await setStatus(admin, slug, 'provisioned')
  })
  afterAll(() => database.drop())

  it('refuses in another process a tenant suspended through one, within 1 second', async () => {
    const [changer, other] = [await startProcess(), await startProcess()]
    await expect(read(other, 'acme')).resolves.toEqual([{ value: 'acme' }])
    await expect(read(changer, 'acme')).resolves.toEqual([{ value: 'acme' }])

    // What the service does: the update and pg_notify in one transaction, then invalidate.
    await setStatus(admin, 'acme', 'suspended')
    changer.invalidateTenant('acme')

    await expect(read(changer, 'acme')).rejects.toMatchObject({ code: 'TENANT_SUSPENDED' })
    expect(await msUntilRefused(other, 'acme', 'TENANT_SUSPENDED')).toBeLessThan(1_000)
    expect(listenerErrors).toEqual([])
  })

  it('forgets every cached status when its LISTEN connection is lost and comes back', async () => {
    const db = await startProcess()
    await expect(read(db, 'beta')).resolves.toEqual([{ value: 'beta' }])
    // A change whose notification this process cannot hear: its listener is gone.
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query ilike 'listen %'`)
    await admin.query("update public.tenants set status = 'deleted' where slug = 'beta'")

    expect(await msUntilRefused(db, 'beta', 'TENANT_DELETED')).toBeLessThan(2_000)
    expect(listenerErrors.length).toBeGreaterThan(0) // the loss was reported
    listenerErrors.length = 0
    // And it listens again: a notified change is seen at once.
    await admin.query("update public.tenants set status = 'provisioned' where slug = 'beta'")
    db.invalidateTenant('beta')
    await expect(read(db, 'beta')).resolves.toEqual([{ value: 'beta' }])
    await setStatus(admin, 'beta', 'suspended')
    expect(await msUntilRefused(db, 'beta', 'TENANT_SUSPENDED')).toBeLessThan(1_000)
  })
})

describe('TenantChangeListener start and stop', () => {
  it('settles start() when stop() is called while it waits to reconnect', async () => {
    const listener = new TenantChangeListener(
      {
        connect: async () => {
          throw new Error('database down')
        },
        reconnectDelayMs: 60_000,
        onError: () => {},
      },
      { changed: () => {}, resync: () => {} },
    )
    const started = listener.start()
    await new Promise((resolve) => setTimeout(resolve, 20))
    await listener.stop()
    const outcome = await Promise.race([
      started.then(() => 'settled'),
      new Promise((resolve) => setTimeout(() => resolve('hung'), 1_000)),
    ])
    expect(outcome).toBe('settled')
  })
})
