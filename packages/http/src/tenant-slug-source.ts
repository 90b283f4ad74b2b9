import type { Context } from 'hono'

/**
 * Finds the tenant's slug in a request, or `undefined` when this source has none. Sources are
 * tried in order by `resolveTenant`; the first answer wins. Any function of the request will
 * do (a JWT claim, a cookie, a custom domain looked up in a table).
 */
export type TenantSlugSource = (c: Context) => string | undefined | Promise<string | undefined>

/**
 * The slug in a request header, `X-Tenant` by default.
 *
 * Trust it only where clients may pick their tenant (an API key checked against the tenant,
 * an internal service); otherwise pair it with your own authorization.
 *
 * ### Examples
 *
 * ```ts
 * app.use('/api/*', resolveTenant({ db, from: fromHeader() })) // X-Tenant: acme-corp
 * ```
 */
export function fromHeader(name = 'x-tenant'): TenantSlugSource {
  return (c) => c.req.header(name) || undefined
}

/**
 * The slug in the first label of the request's host below `rootDomain`:
 * `acme-corp.example.com` -> `acme-corp` with `rootDomain: 'example.com'`. The root domain
 * itself (and any other host) gives no slug; a deeper name (`a.b.example.com`) gives `a.b`,
 * which no tenant can have. Host names compare case-insensitively; the port is ignored.
 * The host comes from the request URL (the `Host` header), never from `X-Forwarded-Host`,
 * which any client can set.
 *
 * ### Examples
 *
 * ```ts
 * app.use('/api/*', resolveTenant({ db, from: fromSubdomain('example.com') }))
 * // local development: curl http://acme-corp.localhost:3000/api/orders
 * app.use('/api/*', resolveTenant({ db, from: fromSubdomain('localhost') }))
 * ```
 */
export function fromSubdomain(rootDomain: string): TenantSlugSource {
  const suffix = `.${rootDomain.toLowerCase().replace(/^\.+|\.+$/g, '')}`
  return (c) => {
    const host = new URL(c.req.url).hostname.toLowerCase()
    if (!host.endsWith(suffix) || host.length === suffix.length) return undefined
    return host.slice(0, -suffix.length)
  }
}

/**
 * The slug in a path parameter of the route the middleware is mounted on, `:tenant` by
 * default.
 *
 * ### Examples
 *
 * ```ts
 * app.use('/t/:tenant/*', resolveTenant({ db, from: fromPathParam() }))
 * app.get('/t/:tenant/orders', async (c) =>
 *   c.json(await c.get('tenantDb').selectFrom('orders').selectAll().execute()),
 * ) // GET /t/acme-corp/orders
 * ```
 */
export function fromPathParam(name = 'tenant'): TenantSlugSource {
  return (c) => c.req.param(name) || undefined
}
