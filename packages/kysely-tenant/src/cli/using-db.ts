import { resolve } from 'node:path'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { FolderMigrationProvider } from '../migration/folder-migration-provider.js'
import { TenantMigrator } from '../migration/tenant-migrator.js'
import { TenantService } from '../service/tenant-service.js'
import type { CliConfig } from './cli-config.js'
import { type CliFlags, integerFlag } from './cli-flags.js'

/**
 * Runs `run` with a Kysely built from the config (its `kysely`, its `dialect`, or a pool on
 * the URL), destroyed in `finally` unless the config owns it.
 */
export async function usingDb<T>(config: CliConfig, run: (db: Kysely<any>) => Promise<T>) {
  if (config.kysely) return run(config.kysely)
  const dialect =
    config.dialect ??
    new PostgresDialect({
      pool: new pg.Pool({ connectionString: requireUrl(config), max: config.poolSize }),
    })
  const db = new Kysely<any>({ dialect })
  try {
    return await run(db)
  } finally {
    await db.destroy()
  }
}

/** Runs `run` with a `TenantMigrator` on the config's database and migrations folder. */
export function usingMigrator<T>(
  config: CliConfig,
  flags: CliFlags,
  run: (migrator: TenantMigrator) => Promise<T>,
): Promise<T> {
  const concurrency = integerFlag(flags, 'concurrency')
  return usingDb(config, (db) =>
    run(
      new TenantMigrator({
        db,
        provider: new FolderMigrationProvider(resolve(config.cwd, config.migrationsFolder)),
        tenancy: config.tenancy,
        poolSize: config.poolSize,
        allowUnorderedMigrations: config.allowUnorderedMigrations,
        failFast: flags['fail-fast'] ?? false,
        ...(concurrency === undefined ? {} : { concurrency }),
      }),
    ),
  )
}

/** Runs `run` with a `TenantService` that provisions with the folder's migrations. */
export function usingTenants<T>(config: CliConfig, run: (tenants: TenantService) => Promise<T>) {
  return usingDb(config, (db) =>
    run(
      new TenantService(db, {
        ...config.tenancy,
        migrations: new FolderMigrationProvider(resolve(config.cwd, config.migrationsFolder)),
        allowUnorderedMigrations: config.allowUnorderedMigrations,
      }),
    ),
  )
}

function requireUrl(config: CliConfig): string {
  if (config.url) return config.url
  throw new Error('no database: pass --url, set DATABASE_URL, or give kysely.config.ts a dialect')
}
