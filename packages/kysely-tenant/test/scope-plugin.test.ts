import { type AccessMode, type IsolationLevel, Kysely, PostgresDialect } from 'kysely'
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { scopedBeginStatement } from '../src/scope/scoped-begin.js'
import { TenantSchemaPlugin } from '../src/scope/tenant-schema-plugin.js'

interface Db {
  orders: { id: number; plan_id: number; customer_id: number }
  customers: { id: number; name: string }
  plans: { id: number; name: string }
}

// Compiling needs no connection: the pool is never touched.
const db = new Kysely<Db>({ dialect: new PostgresDialect({ pool: {} as pg.Pool }) })
const scoped = db.withPlugin(new TenantSchemaPlugin('tenant_acme', ['plans']))

describe('TenantSchemaPlugin', () => {
  it.each([
    [
      'a select with a join on a tenant table',
      scoped
        .selectFrom('orders')
        .innerJoin('customers', 'customers.id', 'orders.customer_id')
        .select(['orders.id', 'customers.name']),
      'select "tenant_acme"."orders"."id", "tenant_acme"."customers"."name" from "tenant_acme"."orders" inner join "tenant_acme"."customers" on "tenant_acme"."customers"."id" = "tenant_acme"."orders"."customer_id"',
    ],
    [
      'a join on a shared table',
      scoped
        .selectFrom('orders')
        .innerJoin('plans', 'plans.id', 'orders.plan_id')
        .select(['orders.id', 'plans.name']),
      'select "tenant_acme"."orders"."id", "plans"."name" from "tenant_acme"."orders" inner join "plans" on "plans"."id" = "tenant_acme"."orders"."plan_id"',
    ],
    [
      'a CTE, which is never qualified',
      scoped
        .with('cheap', (qb) => qb.selectFrom('plans').select('id').where('name', '=', 'basic'))
        .selectFrom('orders')
        .where('plan_id', 'in', (qb) => qb.selectFrom('cheap').select('id'))
        .selectAll(),
      'with "cheap" as (select "id" from "plans" where "name" = $1) select * from "tenant_acme"."orders" where "plan_id" in (select "id" from "cheap")',
    ],
    [
      'an insert',
      scoped.insertInto('orders').values({ id: 1, plan_id: 1, customer_id: 1 }),
      'insert into "tenant_acme"."orders" ("id", "plan_id", "customer_id") values ($1, $2, $3)',
    ],
    [
      'an update of a shared table',
      scoped.updateTable('plans').set({ name: 'pro' }).where('id', '=', 2),
      'update "plans" set "name" = $1 where "id" = $2',
    ],
    [
      'a delete',
      scoped.deleteFrom('orders').where('id', '=', 3),
      'delete from "tenant_acme"."orders" where "id" = $1',
    ],
    [
      'a table the user qualified',
      scoped.withSchema('public').selectFrom('orders').selectAll(),
      'select * from "public"."orders"',
    ],
  ])('qualifies %s as WithSchemaPlugin does, shared tables excepted', (_, query, expected) => {
    expect(query.compile().sql).toBe(expected)
  })

  it('qualifies schema builders too', () => {
    expect(
      scoped.schema
        .createTable('invoices')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('plan_id', 'integer', (c) => c.references('plans.id'))
        .compile().sql,
    ).toBe(
      'create table "tenant_acme"."invoices" ("id" integer primary key, "plan_id" integer references "plans" ("id"))',
    )
  })
})

describe('TenantSchemaPlugin with schema-qualified shared tables', () => {
  it('qualifies a shared table with its own schema, inside or outside a transaction', () => {
    const qualified = db.withPlugin(new TenantSchemaPlugin('tenant_acme', ['shared.plans']))
    const query = qualified
      .selectFrom('orders')
      .innerJoin('plans', 'plans.id', 'orders.plan_id')
      .select(['orders.id', 'plans.name'])
    expect(query.compile().sql).toBe(
      'select "tenant_acme"."orders"."id", "shared"."plans"."name" from "tenant_acme"."orders" inner join "shared"."plans" on "shared"."plans"."id" = "tenant_acme"."orders"."plan_id"',
    )
  })
})

describe('scopedBeginStatement', () => {
  const path = '"tenant_acme", "public"'
  const guard = 'lock table "tenant_acme"."kysely_tenant_migration" in access share mode'
  it.each<[string, { isolationLevel?: IsolationLevel; accessMode?: AccessMode }, string]>([
    ['no settings', {}, `begin; set local search_path to ${path}; ${guard}`],
    [
      'an isolation level',
      { isolationLevel: 'serializable' },
      `start transaction isolation level serializable; set local search_path to ${path}; ${guard}`,
    ],
    [
      'an access mode',
      { accessMode: 'read only' },
      `start transaction read only; set local search_path to ${path}; ${guard}`,
    ],
    [
      'both',
      { isolationLevel: 'repeatable read', accessMode: 'read write' },
      `start transaction isolation level repeatable read read write; set local search_path to ${path}; ${guard}`,
    ],
  ])('begins with %s and sets the path in the same statement string', (_, settings, expected) => {
    expect(scopedBeginStatement(settings, path, 'tenant_acme')).toBe(expected)
  })

  it('quotes the schema name of the guard as an identifier', () => {
    expect(scopedBeginStatement({}, '"a""b"', 'a"b')).toBe(
      'begin; set local search_path to "a""b"; lock table "a""b"."kysely_tenant_migration" in access share mode',
    )
  })

  it('refuses a setting PostgreSQL does not have rather than paste it into SQL', () => {
    expect(() =>
      scopedBeginStatement({ isolationLevel: 'snapshot' as IsolationLevel }, path, 'tenant_acme'),
    ).toThrow(/unsupported isolation level "snapshot"/)
  })
})
