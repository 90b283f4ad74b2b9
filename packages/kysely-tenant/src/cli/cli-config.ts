import { loadConfig } from 'c12'
import type { Dialect, Kysely } from 'kysely'
import type { TenancyOptions } from '../tenancy-options.js'
import type { CliFlags } from './cli-flags.js'

/** The `tenant` section of `kysely.config.ts`, beside kysely-ctl's own keys. */
export interface TenantCliConfig extends TenancyOptions {
  /** Connection string, when the config has no `dialect` / `kysely`. */
  readonly url?: string
  /** Folder of the tenant migrations. Defaults to `migrations/tenant`. */
  readonly migrationsFolder?: string
  /** The `max` of the pool the CLI opens from `url`. Defaults to 10. */
  readonly poolSize?: number
  readonly allowUnorderedMigrations?: boolean
}

/** What the CLI works with, flags over config over environment. */
export interface CliConfig {
  readonly cwd: string
  readonly url: string | undefined
  /** A `Dialect` or `Kysely` from `kysely.config.ts`, as kysely-ctl accepts them. */
  readonly dialect: Dialect | undefined
  readonly kysely: Kysely<any> | undefined
  readonly migrationsFolder: string
  readonly poolSize: number
  readonly tenancy: TenancyOptions
  readonly allowUnorderedMigrations: boolean
}

/**
 * Reads `kysely.config.ts` (or `.kysely.config.*`, `.config/kysely.config.*`) with c12, as
 * kysely-ctl does, so one file serves both tools, then applies the flags.
 */
export async function loadCliConfig(flags: CliFlags): Promise<CliConfig> {
  const cwd = flags.cwd ?? process.cwd()
  const { config } = await loadConfig<Record<string, any>>({ name: 'kysely', cwd, dotenv: true })
  const tenant: TenantCliConfig = config?.tenant ?? {}
  const dialect = typeof config?.dialect === 'object' ? (config.dialect as Dialect) : undefined
  const controlSchema = flags['control-schema'] ?? tenant.controlSchema
  return {
    cwd,
    url: flags.url ?? tenant.url ?? process.env.DATABASE_URL,
    dialect: flags.url ? undefined : dialect,
    kysely: flags.url ? undefined : (config?.kysely as Kysely<any> | undefined),
    migrationsFolder: flags['migrations-folder'] ?? tenant.migrationsFolder ?? 'migrations/tenant',
    poolSize: tenant.poolSize ?? 10,
    tenancy: {
      ...tenant,
      ...(controlSchema === undefined ? {} : { controlSchema }),
    },
    allowUnorderedMigrations: flags['allow-unordered'] ?? tenant.allowUnorderedMigrations ?? false,
  }
}
