import type { CliCommand } from '../cli-command.js'
import { integerFlag } from '../cli-flags.js'
import { printRun } from '../print-run.js'
import { progressReporter } from '../progress-reporter.js'
import { usingMigrator } from '../using-db.js'

/** `kysely-tenant migrate latest`: every provisioned and suspended tenant to the latest migration. */
export const migrateLatest: CliCommand = {
  name: 'migrate latest',
  usage:
    'migrate latest [--tenant <slug>] [--limit <n>] [--fail-fast] [--concurrency <n>] [--json]',
  description: 'apply every pending migration to every tenant (one transaction per tenant)',
  run: ({ flags, config, out }) =>
    usingMigrator(config, flags, async (migrator) => {
      const limit = integerFlag(flags, 'limit')
      const run = await migrator.migrateToLatest({
        ...(flags.tenant === undefined ? {} : { tenant: flags.tenant }),
        ...(limit === undefined ? {} : { limit }),
        ...(flags.json ? {} : { onProgress: progressReporter(out, 'migrating') }),
      })
      return printRun(out, run, flags.json ?? false)
    }),
}
