import { request } from 'node:http'
import {
  currentTenant,
  fromHeader,
  fromPathParam,
  fromSubdomain,
  resolveTenant,
  type TenantEnv,
  tenantErrorHandler,
} from '@kysely-tenant/http'
import { Hono } from 'hono'
import { PostgresDialect } from 'kysely'
import { TenantKysely, TenantRegistry } from 'kysely-tenant'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type HttpFixture, startFixture } from './http-fixture.js'

interface Database {
  orders: { id: string; item: string }
}

// Deep in the call stack, with no request in sight.
async function ordersOfCurrentTenant() {
  const tenant = currentTenant<Database>()
  if (!tenant) throw new Error('no tenant')
  const rows = await tenant.db.selectFrom('orders').select('item').orderBy('id').execute()
  return { tenant: tenant.slug, items: rows.map((row) => row.item) }
}

describe('resolveTenant over a real socket', () => {
  let f: HttpFixture
  let db: TenantKysely<Database>

  beforeAll(async () => {
    f = await startFixture((tenants, _db, database) => {
      db = new TenantKysely<Database>({
        dialect: new PostgresDialect({ pool: database.pool() }),
        statusSource: (root) => new TenantRegistry(root, 'public'),
        statusCacheTtlMs: 60_000, // long: the test proves invalidation, not expiry
      })
      tenants.events.on('*', (tenant) => db.invalidateTenant(tenant.slug))
      const app = new Hono<TenantEnv<Database>>()
      app.onError(tenantErrorHandler({ error: () => {} }))
      const byHeaderOrHost = resolveTenant({
        db,
        from: [fromHeader(), fromSubdomain('example.test')],
      })
      app.use('/api/*', byHeaderOrHost)
      app.get('/api/orders', async (c) => c.json(await ordersOfCurrentTenant()))
      app.post('/api/orders', async (c) => {
        const row = await c
          .get('tenantDb')
          .insertInto('orders')
          .values({ item: 'tea' } as never)
          .returning('item')
          .executeTakeFirstOrThrow()
        return c.json({ tenant: c.get('tenant'), item: row.item }, 201)
      })
      app.get('/api/ping', (c) => c.json({ tenant: c.get('tenant') })) // runs no query
      app.use('/t/:tenant/*', resolveTenant({ db, from: fromPathParam() }))
      app.get('/t/:tenant/orders', async (c) => c.json(await ordersOfCurrentTenant()))
      // Checked at the route's first query only (the hot-path option).
      app.use('/lazy/*', resolveTenant({ db, from: fromHeader(), check: 'first-query' }))
      app.get('/lazy/orders', async (c) => c.json(await ordersOfCurrentTenant()))
      app.get('/lazy/ping', (c) => c.json({ tenant: c.get('tenant') }))
      app.use('/custom/*', resolveTenant({ db, from: (c) => c.req.query('t') }))
      app.get('/custom/orders', async (c) => c.json(await ordersOfCurrentTenant()))
      return app
    })
    for (const slug of ['acme', 'globex', 'initech', 'umbrella', 'hooli']) {
      await f.tenants.create({ name: slug, slug })
    }
    for (const slug of ['acme', 'globex', 'umbrella', 'hooli']) await f.tenants.provision(slug)
    await f.tenants.suspend('umbrella')
    await f.tenants.delete('hooli')
    await db
      .withTenant('acme')
      .insertInto('orders')
      .values({ item: 'anvil' } as never)
      .execute()
  })
  afterAll(async () => {
    await db?.destroy()
    await f?.close()
  })

  // node:http rather than fetch: fetch will not send a Host header of our choosing.
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      request(`${f.url}${path}`, { headers }, (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
      })
        .on('error', reject)
        .end()
    })

  it('resolves by header, subdomain, path parameter and a custom function', async () => {
    const expected = { tenant: 'acme', items: ['anvil'] }
    expect((await get('/api/orders', { 'x-tenant': 'acme' })).body).toEqual(expected)
    expect((await get('/api/orders', { host: 'acme.example.test' })).body).toEqual(expected)
    expect((await get('/t/acme/orders')).body).toEqual(expected)
    expect((await get('/custom/orders?t=acme')).body).toEqual(expected)
    expect((await get('/api/orders', { 'x-tenant': 'globex' })).body).toEqual({
      tenant: 'globex',
      items: [],
    })
  })

  it('hands the route the scoped db: a write lands in the tenant schema only', async () => {
    const res = await fetch(`${f.url}/api/orders`, {
      method: 'POST',
      headers: { 'x-tenant': 'globex' },
    })
    expect(res.status).toBe(201)
    expect((await get('/api/orders', { 'x-tenant': 'globex' })).body.items).toEqual(['tea'])
    expect((await get('/api/orders', { 'x-tenant': 'acme' })).body.items).toEqual(['anvil'])
  })

  it.each([
    ['no tenant at all', {}, 400, 'TENANT_REQUIRED'],
    ['an unknown tenant', { 'x-tenant': 'nobody' }, 404, 'TENANT_NOT_FOUND'],
    ['a deleted tenant', { 'x-tenant': 'hooli' }, 404, 'TENANT_NOT_FOUND'],
    ['an invalid slug', { 'x-tenant': "x'; drop schema public; --" }, 404, 'TENANT_NOT_FOUND'],
    ['a nested subdomain', { host: 'a.b.example.test' }, 404, 'TENANT_NOT_FOUND'],
    ['the bare root domain', { host: 'example.test' }, 400, 'TENANT_REQUIRED'],
    ['an unprovisioned tenant', { 'x-tenant': 'initech' }, 409, 'TENANT_NOT_PROVISIONED'],
    ['a suspended tenant', { 'x-tenant': 'umbrella' }, 403, 'TENANT_SUSPENDED'],
  ])('refuses %s before the route runs', async (_what, headers, status, code) => {
    // /api/ping runs no query: only the middleware's own check can refuse it.
    const res = await get('/api/ping', headers as Record<string, string>)
    expect([res.status, res.body.error.code]).toEqual([status, code])
    expect(JSON.stringify(res.body)).not.toContain('drop schema')
  })

  it.each([
    ['acme', 200, undefined],
    ['nobody', 404, 'TENANT_NOT_FOUND'],
    ['hooli', 404, 'TENANT_NOT_FOUND'],
    ['initech', 409, 'TENANT_NOT_PROVISIONED'],
    ['umbrella', 403, 'TENANT_SUSPENDED'],
  ])("with check 'first-query', answers %s's orders the same way", async (slug, status, code) => {
    const res = await get('/lazy/orders', { 'x-tenant': slug })
    expect([res.status, res.body.error?.code]).toEqual([status, code])
    // ...but a route that runs no query is not checked at all: the documented trade-off.
    expect((await get('/lazy/ping', { 'x-tenant': slug })).status).toBe(200)
  })

  it("refuses a tenant's orders with 403 within 1 s of its suspension", async () => {
    expect((await get('/api/orders', { 'x-tenant': 'acme' })).status).toBe(200) // cached as provisioned
    await f.tenants.suspend('acme')
    const suspendedAt = Date.now()
    let res = await get('/api/orders', { 'x-tenant': 'acme' })
    while (res.status !== 403 && Date.now() - suspendedAt < 1000) {
      res = await get('/api/orders', { 'x-tenant': 'acme' })
    }
    expect(res.status).toBe(403)
    expect(Date.now() - suspendedAt).toBeLessThan(1000)
    await f.tenants.activate('acme')
    expect((await get('/api/orders', { 'x-tenant': 'acme' })).status).toBe(200)
  })

  it('keeps concurrent requests of different tenants apart in the async context', async () => {
    const slugs = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'acme' : 'globex'))
    const results = await Promise.all(slugs.map((slug) => get('/api/orders', { 'x-tenant': slug })))
    expect(results.map((r) => r.body.tenant)).toEqual(slugs)
    expect(currentTenant()).toBeUndefined()
  })
})
