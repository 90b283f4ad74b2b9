import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createTestDatabase, type TestDatabase } from '@internal/test-harness'
import type { Hono } from 'hono'
import { Kysely, PostgresDialect, sql } from 'kysely'
import { migrateTenantRegistry, type TenantMigration, TenantService } from 'kysely-tenant'

export const TOKEN = 'test-admin-token-0123456789'

export const MIGRATIONS: Record<string, TenantMigration> = {
  '001_orders': {
    async up(db) {
      await db.schema
        .createTable('orders')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('item', 'text', (c) => c.notNull())
        .execute()
    },
  },
  '002_orders_item_index': {
    async up(db) {
      await db.schema.createIndex('orders_item_idx').on('orders').column('item').execute()
    },
  },
}

/** A real server on a loopback port, its database, and helpers to talk to both. */
export interface HttpFixture {
  readonly database: TestDatabase
  readonly db: Kysely<any>
  readonly tenants: TenantService
  readonly url: string
  /** The registry rows and tenant schemas, to prove a request changed nothing. */
  snapshot(): Promise<unknown>
  close(): Promise<void>
}

/** Starts `build(tenants, db, database)` with @hono/node-server on port 0 against a fresh database. */
export async function startFixture(
  build: (tenants: TenantService, db: Kysely<any>, database: TestDatabase) => Hono<any, any, any>,
): Promise<HttpFixture> {
  const database = await createTestDatabase()
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: database.pool({ max: 10 }) }) })
  await migrateTenantRegistry(db)
  const tenants = new TenantService(db, { migrations: { getMigrations: async () => MIGRATIONS } })
  const app = build(tenants, db, database)
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    database,
    db,
    tenants,
    url: `http://127.0.0.1:${port}`,
    async snapshot() {
      const rows = await db.selectFrom('tenants').selectAll().orderBy('slug').execute()
      const schemas = await sql<{ nspname: string }>`
        select nspname from pg_namespace order by nspname`.execute(db)
      return { rows, schemas: schemas.rows.map((r) => r.nspname) }
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await db.destroy()
      await database.drop()
    },
  }
}

/** `fetch` with the admin token and a JSON body; returns the status, headers and parsed body. */
export async function call(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
): Promise<{ status: number; headers: Headers; body: any }> {
  const init: RequestInit = { method, headers: { ...headers } }
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
  }
  const response = await fetch(url, init)
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : null,
  }
}
