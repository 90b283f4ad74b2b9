import type { CliCommand } from '../cli-command.js'
import { printRun } from '../print-run.js'
import { progressReporter } from '../progress-reporter.js'
import { usingMigrator } from '../using-db.js'

/** `kysely-tenant migrate down`: undo one migration, or every one after `--to`. */
export const migrateDown: CliCommand = {
  name: 'migrate down',
  usage: 'migrate down [--tenant <slug>] [--to <migration>] [--fail-fast] [--json]',
  description: 'undo the last migration (or all after --to) of every tenant, or of one',
  run: ({ flags, config, out }) =>
    usingMigrator(config, flags, async (migrator) => {
      const run = await migrator.migrateDown({
        ...(flags.tenant === undefined ? {} : { tenant: flags.tenant }),
        ...(flags.to === undefined ? {} : { to: flags.to }),
        ...(flags.json ? {} : { onProgress: progressReporter(out, 'reverting') }),
      })
      return printRun(out, run, flags.json ?? false)
    }),
}
