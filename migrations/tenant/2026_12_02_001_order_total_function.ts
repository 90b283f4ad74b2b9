import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // A function body is plain text to Kysely; it resolves `order_items` through the
  // search_path at call time, which scoped transactions set to the tenant schema first.
  await sql`
    create function order_total_cents(p_order_id bigint) returns bigint
    language sql stable
    as $$ select coalesce(sum(quantity * unit_price_cents), 0) from order_items where order_id = p_order_id $$
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function order_total_cents(bigint)`.execute(db)
}
