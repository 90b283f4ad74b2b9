import { type Kysely, sql } from 'kysely'
import type { TenantMigration } from '../migration/tenant-migration.js'
import { DEFAULT_CONTROL_SCHEMA } from '../tenancy-options.js'

/** Options of the registry migrations. */
export interface RegistryMigrationOptions {
  /** The schema of the `tenants` table. Defaults to `public`. */
  readonly controlSchema?: string
}

/**
 * The migrations of the tenant registry (the `tenants` table in the control schema),
 * written the Kysely way. Run them with kysely-ctl (see the README) or with
 * `migrateTenantRegistry(db)`.
 *
 * The generated SQL (PostgreSQL), for the default control schema:
 *
 * ```sql
 * create table "public"."tenants" (
 *   "id" uuid primary key default gen_random_uuid(),
 *   "slug" text not null constraint "tenants_slug_key" unique,
 *   "name" text not null,
 *   "schema_name" text not null constraint "tenants_schema_name_key" unique,
 *   "status" text not null default 'active' constraint "tenants_status_check" check (...),
 *   "settings" jsonb not null default '{}',
 *   "created_at" timestamptz not null default now(), "updated_at" ..., "provisioned_at" ...,
 *   "suspended_at" ..., "deleted_at" ..., "migration_head" text, "migration_digest" text
 * )
 * ```
 */
export function registryMigrations(
  options: RegistryMigrationOptions = {},
): Record<string, TenantMigration> {
  const schema = options.controlSchema ?? DEFAULT_CONTROL_SCHEMA
  return {
    '2026_12_01_000_create_tenants': {
      async up(db: Kysely<unknown>) {
        await db.schema.createSchema(schema).ifNotExists().execute()
        await db.schema
          .withSchema(schema)
          .createTable('tenants')
          .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
          // Uniqueness lives in the database, so concurrent creates cannot both succeed
          // (a check-then-insert in the application would race).
          .addColumn('slug', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('schema_name', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
          .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addColumn('provisioned_at', 'timestamptz')
          .addColumn('suspended_at', 'timestamptz')
          .addColumn('deleted_at', 'timestamptz')
          // The last applied tenant migration and a digest of all applied names, written
          // in the same transaction as the tenant's own ledger (which stays the truth), so
          // one query over this table tells which tenants are already at latest.
          .addColumn('migration_head', 'text')
          .addColumn('migration_digest', 'text')
          .addUniqueConstraint('tenants_slug_key', ['slug'])
          .addUniqueConstraint('tenants_schema_name_key', ['schema_name'])
          .addCheckConstraint(
            'tenants_status_check',
            sql`status in ('active', 'provisioned', 'suspended', 'deleted')`,
          )
          .execute()
        await db.schema
          .withSchema(schema)
          .createIndex('tenants_status_slug_idx')
          .on('tenants')
          .columns(['status', 'slug'])
          .execute()
      },
      async down(db: Kysely<unknown>) {
        await db.schema.withSchema(schema).dropTable('tenants').execute()
      },
    },
  }
}
