import { type Kysely, sql, type Transaction } from 'kysely'

/**
 * The table inside every tenant schema that lists the migrations applied to that schema.
 * It lives with the data, so `pg_dump -n <schema>` carries the schema's migration state.
 *
 * ```sql
 * create table "tenant_acme"."kysely_tenant_migration" (
 *   "name" text primary key,
 *   "position" integer not null,
 *   "applied_at" timestamptz not null default now()
 * )
 * ```
 *
 * `position` records the order of application, which differs from name order when unordered
 * migrations are allowed; `applied_at` alone cannot, since every migration of one run
 * shares the transaction's `now()`.
 */
export const MIGRATION_LEDGER_TABLE = 'kysely_tenant_migration'

/** Creates the ledger in `schemaName` unless it exists. Run it with the tenant's lock held. */
export async function createMigrationLedger(trx: Transaction<any>, schemaName: string) {
  await trx.schema
    .withSchema(schemaName)
    .createTable(MIGRATION_LEDGER_TABLE)
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('applied_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

/**
 * The names in the ledger of `schemaName`, in the order they were applied. Inside a
 * migration run, call it with the lock held; a plan may call it on any `db`.
 */
export async function readMigrationLedger(trx: Kysely<any>, schemaName: string): Promise<string[]> {
  const rows = await trx
    .withSchema(schemaName)
    .selectFrom(MIGRATION_LEDGER_TABLE)
    .select('name')
    .orderBy('position')
    .execute()
  return rows.map((row) => row.name as string)
}

/** What the ledger and the registry row must say after a run. */
export interface LedgerChange {
  readonly schemaName: string
  readonly controlSchema: string
  /** Names to append to the ledger, in application order. */
  readonly added: readonly string[]
  /** Names to remove from the ledger (a rollback). */
  readonly removed: readonly string[]
  /** The position of the first added name. */
  readonly firstPosition: number
  readonly head: string | null
  readonly digest: string
}

/**
 * Writes a run's ledger rows and the tenant's `migration_head` / `migration_digest` in ONE
 * statement (data-modifying CTEs), saving a round trip per tenant in a fan-out.
 *
 * The generated SQL (PostgreSQL):
 *
 * ```sql
 * with "added" as (insert into "tenant_acme"."kysely_tenant_migration" ("name", "position")
 *   select * from unnest($1::text[], $2::int[])),
 * "removed" as (delete from "tenant_acme"."kysely_tenant_migration" where "name" = any($3))
 * update "public"."tenants" set "migration_head" = $4, "migration_digest" = $5
 * where "schema_name" = $6
 * ```
 */
export async function writeMigrationLedger(trx: Transaction<any>, change: LedgerChange) {
  const ledger = sql.id(change.schemaName, MIGRATION_LEDGER_TABLE)
  const positions = change.added.map((_, i) => change.firstPosition + i)
  await sql`
    with "added" as (insert into ${ledger} ("name", "position")
      select * from unnest(${[...change.added]}::text[], ${positions}::int[])),
    "removed" as (delete from ${ledger} where "name" = any(${[...change.removed]}::text[]))
    update ${sql.id(change.controlSchema, 'tenants')}
    set "migration_head" = ${change.head}, "migration_digest" = ${change.digest}
    where "schema_name" = ${change.schemaName}`.execute(trx)
}
