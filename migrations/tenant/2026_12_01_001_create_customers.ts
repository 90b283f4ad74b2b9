import { type Kysely, sql } from 'kysely'

// Tenant migrations receive a db scoped to the tenant: `db.schema.createTable('customers')`
// creates "tenant_x"."customers". Keys are bigint identities: narrower sequences can fail on
// Citus workers if tenants are ever distributed (see DESIGN.md).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customers')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customers').execute()
}
