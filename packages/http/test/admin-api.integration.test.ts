import { createAdminApi, ledgerMigrationStatus } from '@kysely-tenant/http'
import { sql } from 'kysely'
import { TenantMigrator } from 'kysely-tenant'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, type HttpFixture, MIGRATIONS, startFixture, TOKEN } from './http-fixture.js'

describe('admin API over a real socket', () => {
  let f: HttpFixture
  let api: string
  const logged: unknown[] = []

  beforeAll(async () => {
    f = await startFixture((tenants, db) =>
      createAdminApi({
        tenants,
        adminTokens: [TOKEN],
        bodyLimitBytes: 4096,
        migrationStatus: ledgerMigrationStatus({
          db,
          migrations: { getMigrations: async () => MIGRATIONS },
        }),
        logger: { error: (_message, error) => logged.push(error) },
      }),
    )
    api = `${f.url}/api/tenants`
  })
  afterAll(() => f?.close())

  it('creates a tenant: 201, camelCase JSON, ISO 8601 timestamps, status active', async () => {
    const res = await call(api, 'POST', {
      name: ' ACME Corp ',
      slug: 'acme-corp',
      settings: { plan: 'pro' },
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.body).toMatchObject({
      slug: 'acme-corp',
      name: 'ACME Corp',
      schemaName: 'tenant_acme_corp',
      status: 'active',
      settings: { plan: 'pro' },
      provisionedAt: null,
      migrationHead: null,
    })
    expect(res.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(Object.keys(res.body)).not.toContain('schema_name')
  })

  it('refuses a taken slug with 409 SLUG_TAKEN', async () => {
    const res = await call(api, 'POST', { name: 'Again', slug: 'acme-corp' })
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('SLUG_TAKEN')
  })

  it('lists every field problem of a create in one 400', async () => {
    const res = await call(api, 'POST', { name: 7, slug: 'Bad_Slug', colour: 'red' })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('VALIDATION_FAILED')
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'colour',
      'name',
      'slug',
    ])
  })

  it('gets a tenant, 404 for an unknown one, 400 for an invalid slug', async () => {
    expect((await call(`${api}/acme-corp`, 'GET')).body.slug).toBe('acme-corp')
    const missing = await call(`${api}/nobody-here`, 'GET')
    expect([missing.status, missing.body.error.code]).toEqual([404, 'TENANT_NOT_FOUND'])
    const invalid = await call(`${api}/ACME`, 'GET')
    expect([invalid.status, invalid.body.error.code]).toEqual([400, 'INVALID_SLUG'])
  })

  it('patches name and settings; 400 for an empty patch; 404 for an unknown tenant', async () => {
    const res = await call(`${api}/acme-corp`, 'PATCH', {
      name: 'ACME Inc',
      settings: { plan: 'max' },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ name: 'ACME Inc', settings: { plan: 'max' } })
    expect((await call(`${api}/acme-corp`, 'PATCH', {})).status).toBe(400)
    expect((await call(`${api}/nobody-here`, 'PATCH', { name: 'x' })).status).toBe(404)
  })

  it('lists with filters and keyset pagination; 400 for a bad filter', async () => {
    for (const slug of ['beta-one', 'beta-two', 'gamma']) {
      expect((await call(api, 'POST', { name: `Tenant ${slug}`, slug })).status).toBe(201)
    }
    const first = await call(`${api}?search=beta&limit=1`, 'GET')
    expect(first.status).toBe(200)
    expect(first.body.tenants.map((t: { slug: string }) => t.slug)).toEqual(['beta-one'])
    expect(first.body.nextCursor).toBe('beta-one')
    const second = await call(`${api}?search=beta&limit=1&cursor=${first.body.nextCursor}`, 'GET')
    expect(second.body).toMatchObject({ tenants: [{ slug: 'beta-two' }], nextCursor: null })
    const active = await call(`${api}?status=active`, 'GET')
    expect(active.body.tenants).toHaveLength(4)
    expect((await call(`${api}?status=provisioned`, 'GET')).body.tenants).toHaveLength(0)
    const bad = await call(`${api}?status=sleeping&limit=0&staus=x`, 'GET')
    expect(bad.status).toBe(400)
    expect(bad.body.error.details).toHaveLength(3)
  })

  it('provisions (schema created and migrated), suspends, activates; 409 on illegal moves', async () => {
    const early = await call(`${api}/acme-corp/suspend`, 'POST')
    expect([early.status, early.body.error.code]).toEqual([409, 'INVALID_TRANSITION'])
    const provisioned = await call(`${api}/acme-corp/provision`, 'POST')
    expect(provisioned.status).toBe(200)
    expect(provisioned.body).toMatchObject({
      status: 'provisioned',
      migrationHead: '002_orders_item_index',
    })
    const schema = await sql`select 1 from pg_namespace where nspname = 'tenant_acme_corp'`.execute(
      f.db,
    )
    expect(schema.rows).toHaveLength(1)
    expect((await call(`${api}/acme-corp/provision`, 'POST')).status).toBe(200) // a no-op
    expect((await call(`${api}/acme-corp/suspend`, 'POST')).body.status).toBe('suspended')
    expect((await call(`${api}/acme-corp/suspend`, 'POST')).status).toBe(409)
    expect((await call(`${api}/acme-corp/activate`, 'POST')).body.status).toBe('provisioned')
    expect((await call(`${api}/acme-corp/activate`, 'POST')).status).toBe(409)
    expect((await call(`${api}/nobody-here/provision`, 'POST')).status).toBe(404)
    expect((await call(`${api}/nobody-here/suspend`, 'POST')).status).toBe(404)
    expect((await call(`${api}/nobody-here/activate`, 'POST')).status).toBe(404)
  })

  it('answers applied and pending migrations from the ledger', async () => {
    const done = await call(`${api}/acme-corp/migrations`, 'GET')
    expect(done.status).toBe(200)
    expect(done.body.applied.map((m: { name: string }) => m.name)).toEqual(Object.keys(MIGRATIONS))
    expect(done.body.pending).toEqual([])
    const fresh = await call(`${api}/gamma/migrations`, 'GET')
    expect(fresh.body).toMatchObject({ applied: [], pending: Object.keys(MIGRATIONS) })
    expect((await call(`${api}/nobody-here/migrations`, 'GET')).status).toBe(404)
  })

  it("answers pending migrations from the migrator's list when one is given", async () => {
    const more = { ...MIGRATIONS, '003_later': { up: async () => {} } }
    const provider = { getMigrations: async () => more }
    const reader = ledgerMigrationStatus({
      db: f.db,
      migrations: provider,
      migrator: new TenantMigrator({ db: f.db, provider }),
    })
    const provisioned = await reader(await f.tenants.get('acme-corp'))
    expect(provisioned.applied).toHaveLength(2)
    expect(provisioned.pending).toEqual(['003_later'])
    const active = await reader(await f.tenants.get('gamma')) // not a migrator target
    expect(active.pending).toEqual(Object.keys(more))
  })

  it('soft-deletes, then purges only with the right confirmation', async () => {
    expect((await call(`${api}/acme-corp/purge`, 'POST', { confirm: 'acme-corp' })).status).toBe(
      409,
    )
    const deleted = await call(`${api}/acme-corp`, 'DELETE')
    expect(deleted.body).toMatchObject({ status: 'deleted' })
    expect(deleted.body.deletedAt).not.toBeNull()
    expect((await call(`${api}/acme-corp`, 'DELETE')).status).toBe(409)
    expect((await call(`${api}/nobody-here`, 'DELETE')).status).toBe(404)
    const revive = await call(`${api}/acme-corp/provision`, 'POST')
    expect([revive.status, revive.body.error.code]).toEqual([409, 'INVALID_TRANSITION'])
    const unconfirmed = await call(`${api}/acme-corp/purge`, 'POST')
    expect([unconfirmed.status, unconfirmed.body.error.code]).toEqual([
      400,
      'CONFIRMATION_REQUIRED',
    ])
    expect((await call(`${api}/acme-corp/purge`, 'POST', { confirm: 'acme' })).status).toBe(400)
    const purged = await call(`${api}/acme-corp/purge`, 'POST', { confirm: 'acme-corp' })
    expect(purged.status).toBe(200)
    const schema = await sql`select 1 from pg_namespace where nspname = 'tenant_acme_corp'`.execute(
      f.db,
    )
    expect(schema.rows).toHaveLength(0)
    expect((await call(`${api}/acme-corp`, 'GET')).status).toBe(404)
    expect((await call(`${api}/acme-corp/purge`, 'POST', { confirm: 'acme-corp' })).status).toBe(
      404,
    )
    expect((await call(api, 'POST', { name: 'ACME again', slug: 'acme-corp' })).status).toBe(201)
  })

  it('answers a wrong method with 405 and an Allow header', async () => {
    const put = await call(api, 'PUT', { name: 'x' })
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST'])
    const post = await call(`${api}/gamma`, 'POST', {})
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD, PATCH, DELETE'])
    const get = await call(`${api}/gamma/provision`, 'GET')
    expect([get.status, get.headers.get('allow'), get.body.error.code]).toEqual([
      405,
      'POST',
      'METHOD_NOT_ALLOWED',
    ])
    expect((await call(`${api}/gamma/migrations`, 'DELETE')).status).toBe(405)
  })

  it('answers 413 for a body over the limit and 415 for a body that is not JSON', async () => {
    const big = await call(api, 'POST', { name: 'x'.repeat(5000), slug: 'big-one' })
    expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE'])
    const form = await call(api, 'POST', 'name=x&slug=form', {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/x-www-form-urlencoded',
    })
    expect([form.status, form.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE'])
  })

  it('answers a database failure with a bare 500 and logs the real error', async () => {
    await sql`alter table tenants rename to tenants_away`.execute(f.db)
    try {
      const res = await call(`${api}/gamma`, 'GET')
      expect(res.status).toBe(500)
      expect(res.body).toEqual({
        error: { code: 'INTERNAL_ERROR', message: 'internal server error' },
      })
      expect(JSON.stringify(res.body)).not.toMatch(/tenants|select|postgres|at /i)
      expect(String(logged.at(-1))).toMatch(/tenants/)
    } finally {
      await sql`alter table tenants_away rename to tenants`.execute(f.db)
    }
  })
})
