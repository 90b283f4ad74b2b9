import { createAdminApi, resolveAdminTokens } from '@kysely-tenant/http'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, type HttpFixture, startFixture, TOKEN } from './http-fixture.js'

const OTHER = 'second-admin-token-abcdefgh'

// Every header case against every kind of route, with openSignup off and on.
const HEADERS = {
  none: {},
  malformed: { authorization: TOKEN },
  basic: { authorization: `Basic ${btoa(`admin:${TOKEN}`)}` },
  emptyBearer: { authorization: 'Bearer ' },
  wrong: { authorization: 'Bearer not-the-admin-token-at-all' },
  prefixOfRight: { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
  right: { authorization: `Bearer ${TOKEN}` },
  second: { authorization: `Bearer ${OTHER}` },
} as const

const EXPECTED: Record<keyof typeof HEADERS, number> = {
  none: 401,
  malformed: 401,
  basic: 401,
  emptyBearer: 401,
  wrong: 403,
  prefixOfRight: 403,
  right: 0, // the route's own answer
  second: 0,
}

describe.each([false, true])('admin auth, openSignup %s', (openSignup) => {
  let f: HttpFixture
  let n = 0
  beforeAll(async () => {
    f = await startFixture((tenants) => {
      // Mounted under a base path, as a user would.
      const app = new Hono()
      app.route('/admin', createAdminApi({ tenants, adminTokens: [TOKEN, OTHER], openSignup }))
      return app
    })
  })
  afterAll(() => f?.close())

  it.each(Object.keys(HEADERS) as (keyof typeof HEADERS)[])('%s header', async (kind) => {
    const headers = HEADERS[kind]
    const api = `${f.url}/admin/api/tenants`
    const slug = `t-${openSignup ? 'o' : 'c'}-${n++}`
    const create = await call(api, 'POST', { name: 'T', slug }, { ...headers })
    const list = await call(api, 'GET', undefined, { ...headers })
    const get = await call(`${api}/${slug}`, 'GET', undefined, { ...headers })
    const provision = await call(`${api}/${slug}/provision`, 'POST', undefined, { ...headers })
    const unknown = await call(`${api}/${slug}/nothing`, 'GET', undefined, { ...headers })
    const expected = EXPECTED[kind]
    const signupOpen = openSignup && kind === 'none'
    expect(create.status).toBe(signupOpen ? 201 : expected || 201)
    expect(list.status).toBe(expected || 200)
    expect(get.status).toBe(expected || 200)
    expect(provision.status).toBe(expected || 200)
    expect(unknown.status).toBe(expected || 404)
    for (const res of [create, list, get, provision, unknown]) {
      if (res.status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
      if (res.status >= 400) expect(res.body.error.code).toMatch(/^[A-Z_]+$/)
      expect(JSON.stringify(res.body)).not.toContain(TOKEN)
    }
    if (signupOpen) expect(create.body.status).toBe('active')
  })

  it('answers 501 NOT_CONFIGURED for migrations when no reader is configured', async () => {
    await f.tenants.create({ name: 'M', slug: `mig-${openSignup}` })
    const res = await call(`${f.url}/admin/api/tenants/mig-${openSignup}/migrations`, 'GET')
    expect([res.status, res.body.error.code]).toEqual([501, 'NOT_CONFIGURED'])
  })

  it('never lets a request without a token set settings', async () => {
    const body = { name: 'Free plan', slug: `free-${openSignup}`, settings: { plan: 'enterprise' } }
    const res = await call(`${f.url}/admin/api/tenants`, 'POST', body, {})
    expect(res.status).toBe(openSignup ? 403 : 401)
    expect((await f.tenants.list({ search: 'free-' })).tenants).toHaveLength(0)
  })
})

describe('admin tokens', () => {
  it('refuses to build an admin API without a token or with a short one', () => {
    expect(() => resolveAdminTokens(undefined, {})).toThrow(/no admin token/)
    expect(() => resolveAdminTokens(['short'])).toThrow(/at least 16/)
    expect(
      resolveAdminTokens(undefined, { KYSELY_TENANT_ADMIN_TOKENS: `${TOKEN}, ${OTHER}` }),
    ).toEqual([TOKEN, OTHER])
  })
})
