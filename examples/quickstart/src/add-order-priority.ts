import type { Kysely } from 'kysely'
import type { TenantMigration } from 'kysely-tenant'

/**
 * The migration the demo adds after the tenants exist, as a team would in a later deploy:
 * a column and an index on every tenant's orders.
 */
export const addOrderPriority: TenantMigration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('orders')
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.createIndex('orders_priority_idx').on('orders').column('priority').execute()
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('orders').dropColumn('priority').execute()
  },
}
