import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // Raw SQL resolves through the transaction's search_path, so the type lands in the
  // tenant schema, and the unqualified name below finds it there.
  await sql`create type order_status as enum ('pending', 'paid', 'shipped', 'cancelled')`.execute(
    db,
  )
  await db.schema
    .createTable('orders')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id'))
    .addColumn('status', sql`order_status`, (c) => c.notNull().defaultTo('pending'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('orders_customer_id_idx').on('orders').column('customer_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('orders').execute()
  await sql`drop type order_status`.execute(db)
}
