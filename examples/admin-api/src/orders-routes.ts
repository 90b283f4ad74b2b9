import { jsonBodyLimit, readJsonBody, type TenantEnv } from '@kysely-tenant/http'
import { Hono } from 'hono'
import type { Database } from './database.js'

/**
 * The example's tenant-scoped routes. Nothing here names a tenant: `resolveTenant` (see
 * app.ts) has already checked it and put the scoped db on the context.
 *
 * - `GET /api/orders`: the tenant's 50 newest orders, one query.
 * - `POST /api/orders` `{ "email", "name" }`: an order for that customer (created on first
 *   order), in one scoped transaction.
 */
export function ordersRoutes(): Hono<TenantEnv<Database>> {
  const app = new Hono<TenantEnv<Database>>()

  app.get('/', async (c) => {
    const orders = await c
      .get('tenantDb')
      .selectFrom('orders')
      .select(['id', 'customer_id as customerId', 'status', 'created_at as createdAt'])
      .orderBy('id', 'desc')
      .limit(50)
      .execute()
    return c.json({ tenant: c.get('tenant'), orders })
  })

  app.post('/', jsonBodyLimit(16 * 1024), async (c) => {
    const input = parseOrder(await readJsonBody(c))
    if ('problems' in input) {
      return c.json(
        { error: { code: 'VALIDATION_FAILED', message: 'invalid order', details: input.problems } },
        400,
      )
    }
    const order = await c
      .get('tenantDb')
      .transaction()
      .execute(async (trx) => {
        const customer = await trx
          .insertInto('customers')
          .values(input)
          .onConflict((oc) => oc.column('email').doUpdateSet({ name: input.name }))
          .returning('id')
          .executeTakeFirstOrThrow()
        return trx
          .insertInto('orders')
          .values({ customer_id: customer.id })
          .returning(['id', 'customer_id as customerId', 'status', 'created_at as createdAt'])
          .executeTakeFirstOrThrow()
      })
    return c.json({ tenant: c.get('tenant'), order }, 201)
  })
  return app
}

type Problem = { field: string; message: string }

function parseOrder(body: unknown): { email: string; name: string } | { problems: Problem[] } {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const problems: Problem[] = Object.keys(fields)
    .filter((key) => key !== 'email' && key !== 'name')
    .map((field) => ({ field, message: 'is not a known field' }))
  const { email, name } = fields
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
    problems.push({ field: 'email', message: 'must be an email address' })
  }
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
    problems.push({
      field: 'name',
      message: 'must be a non-empty string of at most 200 characters',
    })
  }
  if (problems.length > 0) return { problems }
  return { email: email as string, name: (name as string).trim() }
}
