import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startExample } from './example-server.js'

describe('the example server: tenant-scoped orders', () => {
  let example: Awaited<ReturnType<typeof startExample>>
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }
  const orders = (slug: string, init: RequestInit = {}) =>
    fetch(`${example.url}/api/orders`, {
      ...init,
      headers: { 'x-tenant': slug, 'content-type': 'application/json', ...init.headers },
    })

  beforeAll(async () => {
    example = await startExample()
    for (const slug of ['acme', 'globex']) {
      const created = await fetch(`${example.url}/api/tenants`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ name: slug, slug }),
      })
      expect(created.status).toBe(201)
      const provisioned = await fetch(`${example.url}/api/tenants/${slug}/provision`, {
        method: 'POST',
        headers: admin,
      })
      expect(provisioned.status).toBe(200)
    }
  })
  afterAll(() => example?.close())

  it("refuses a suspended tenant's orders with 403 within 1 s of the suspend call", async () => {
    const order = { method: 'POST', body: JSON.stringify({ email: 'a@acme.test', name: 'A' }) }
    expect((await orders('acme', order)).status).toBe(201)
    expect((await orders('acme')).status).toBe(200) // the status cache now says provisioned
    const suspend = await fetch(`${example.url}/api/tenants/acme/suspend`, {
      method: 'POST',
      headers: admin,
    })
    const suspendedAt = Date.now()
    expect(suspend.status).toBe(200)
    let status = (await orders('acme')).status
    while (status !== 403 && Date.now() - suspendedAt < 1000) status = (await orders('acme')).status
    expect(status).toBe(403)
    expect(Date.now() - suspendedAt).toBeLessThan(1000)
    expect((await orders('globex')).status).toBe(200) // the other tenant is untouched
    await fetch(`${example.url}/api/tenants/acme/activate`, { method: 'POST', headers: admin })
    const back = (await (await orders('acme')).json()) as { orders: unknown[] }
    expect(back.orders).toHaveLength(1) // data kept through the suspension
  })

  it('keeps each tenant in its own schema', async () => {
    const body = JSON.stringify({ email: 'g@globex.test', name: 'G' })
    expect((await orders('globex', { method: 'POST', body })).status).toBe(201)
    const globex = (await (await orders('globex')).json()) as { orders: unknown[] }
    const acme = (await (await orders('acme')).json()) as { orders: unknown[] }
    expect([globex.orders.length, acme.orders.length]).toEqual([1, 1])
  })

  it.each([
    ['an invalid order', '{"email": "nope", "colour": 1}', 'application/json', 400],
    ['malformed JSON', '{"email": ', 'application/json', 400],
    ['a form post', 'email=a@b.c', 'application/x-www-form-urlencoded', 415],
    [
      'an oversized body',
      JSON.stringify({ email: 'a@b.c', name: 'x'.repeat(20_000) }),
      'application/json',
      413,
    ],
  ])('answers %s with a JSON error', async (_what, body, type, status) => {
    const res = await orders('globex', { method: 'POST', body, headers: { 'content-type': type } })
    expect(res.status).toBe(status)
    expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^[A-Z_]+$/)
  })

  it('answers 404 for an unknown tenant and 400 for none', async () => {
    expect((await orders('nobody')).status).toBe(404)
    expect((await fetch(`${example.url}/api/orders`)).status).toBe(400)
  })
})
