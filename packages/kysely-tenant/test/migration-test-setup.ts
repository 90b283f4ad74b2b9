import { createTestDatabase, type TestDatabase } from '@internal/test-harness'
import { slugToSchemaName } from '@kysely-tenant/core'
import { Kysely, PostgresDialect } from 'kysely'
import { applyTenantMigrations } from '../src/migration/apply-tenant-migrations.js'
import type { TenantMigration } from '../src/migration/tenant-migration.js'
import { registryMigrations } from '../src/registry/registry-migrations.js'

/** A test database with the registry in `public`, and a Kysely on it. */
export interface MigrationTestDatabase {
  readonly database: TestDatabase
  readonly db: Kysely<any>
  close(): Promise<void>
}

/** Creates the test file's database and runs the registry migrations on it. */
export async function createMigrationTestDatabase(poolSize = 10): Promise<MigrationTestDatabase> {
  const database = await createTestDatabase()
  const pool = database.pool({ max: poolSize })
  // `drop()` ends the database WITH (FORCE); a connection terminated while idle must not
  // surface as an unhandled error of the run.
  pool.on('error', () => {})
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) })
  for (const migration of Object.values(registryMigrations())) await migration.up(db)
  return {
    database,
    db,
    async close() {
      await db.destroy().catch(() => {})
      await database.drop()
    },
  }
}

/**
 * Inserts tenant rows with `status` directly into the registry and, for the statuses that
 * own a schema, creates the schema (with its empty ledger) the way provisioning does.
 * Returns the schema names.
 */
export async function seedTenants(
  db: Kysely<any>,
  slugs: readonly string[],
  status: 'active' | 'provisioned' | 'suspended' | 'deleted' = 'provisioned',
  controlSchema = 'public',
): Promise<string[]> {
  const rows = slugs.map((slug) => ({
    slug,
    name: slug,
    schema_name: slugToSchemaName(slug),
    status,
  }))
  if (rows.length > 0)
    await db.withSchema(controlSchema).insertInto('tenants').values(rows).execute()
  if (status === 'active') return rows.map((row) => row.schema_name)
  for (const row of rows) {
    await db.transaction().execute((trx) =>
      applyTenantMigrations(trx, {
        schemaName: row.schema_name,
        migrations: {},
        controlSchema,
        sharedSchemas: ['public'],
        createSchema: true,
      }),
    )
  }
  return rows.map((row) => row.schema_name)
}

/**
 * Creates a registry in its own control schema, so a test's runs see only its own tenants
 * although the test file shares one database.
 */
export async function createRegistry(db: Kysely<any>, controlSchema: string): Promise<void> {
  for (const migration of Object.values(registryMigrations({ controlSchema }))) {
    await migration.up(db)
  }
}

/** `count` slugs `<prefix>-0`, `<prefix>-1`, ... */
export function slugs(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`)
}

/** A migration creating table `name` with one column, through the scoped builders. */
export function createTableMigration(name: string): TenantMigration {
  return {
    async up(db) {
      await db.schema
        .createTable(name)
        .addColumn('id', 'bigint', (c) => c.primaryKey())
        .execute()
    },
    async down(db) {
      await db.schema.dropTable(name).execute()
    },
  }
}

/** The tables of `schemaName`, sorted. */
export async function tablesOf(db: Kysely<any>, schemaName: string): Promise<string[]> {
  const rows = await db
    .selectFrom('information_schema.tables')
    .select('table_name')
    .where('table_schema', '=', schemaName)
    .orderBy('table_name')
    .execute()
  return rows.map((row) => row.table_name as string)
}

/** The ledger of `schemaName`, in application order. */
export async function ledgerOf(db: Kysely<any>, schemaName: string): Promise<string[]> {
  const rows = await db
    .withSchema(schemaName)
    .selectFrom('kysely_tenant_migration')
    .select('name')
    .orderBy('position')
    .execute()
  return rows.map((row) => row.name as string)
}
