import { readdir } from 'node:fs/promises'
import { extname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { TenantError } from '@kysely-tenant/core'
import type { TenantMigration, TenantMigrationProvider } from './tenant-migration.js'

const EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'])

/**
 * Loads every migration file of a folder, named after the file without its extension (like
 * Kysely's `FileMigrationProvider`, without having to pass `fs` and `path`). `.d.ts` files
 * are skipped.
 *
 * Files are loaded with `import()`. JavaScript always works; TypeScript works when the
 * process can import `.ts` itself: under `tsx` (how the repository runs the CLI), or on a
 * Node with type stripping (22.18+ and 23.6+ by default). On other runtimes a `.ts` file is
 * loaded through `jiti` when it is installed, as kysely-ctl does; otherwise the error says so.
 *
 * ### Examples
 *
 * ```ts
 * const provider = new FolderMigrationProvider('migrations/tenant')
 * const migrator = new TenantMigrator({ db, provider })
 * ```
 */
export class FolderMigrationProvider implements TenantMigrationProvider {
  readonly #folder: string

  constructor(folder: string) {
    this.#folder = resolve(folder)
  }

  async getMigrations(): Promise<Record<string, TenantMigration>> {
    const files = (await readdir(this.#folder)).filter(
      (file) => EXTENSIONS.has(extname(file)) && !/\.d\.[cm]?ts$/.test(file),
    )
    const migrations: Record<string, TenantMigration> = {}
    for (const file of files.sort()) {
      const name = file.slice(0, -extname(file).length)
      const loaded = await importMigration(resolve(this.#folder, file))
      const migration = (loaded.default?.up ? loaded.default : loaded) as Partial<TenantMigration>
      if (typeof migration.up !== 'function') {
        throw new TenantError(
          'VALIDATION_FAILED',
          `migration file ${JSON.stringify(file)} exports no up()`,
        )
      }
      migrations[name] = migration as TenantMigration
    }
    return migrations
  }
}

async function importMigration(path: string): Promise<Record<string, any>> {
  try {
    return await import(pathToFileURL(path).href)
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error
    // A specifier in a variable keeps jiti an optional dependency (and out of type checking).
    const jitiModule = 'jiti'
    const jiti = await import(jitiModule).catch(() => {
      throw new TenantError(
        'VALIDATION_FAILED',
        `cannot load ${JSON.stringify(path)}: this Node cannot import TypeScript; run under tsx, use Node 22.18+, or install jiti`,
        { cause: error },
      )
    })
    return jiti.createJiti(import.meta.url).import(path)
  }
}
