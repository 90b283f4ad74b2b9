import type { CliCommand } from '../cli-command.js'
import { integerFlag } from '../cli-flags.js'
import { printRun } from '../print-run.js'
import { progressReporter } from '../progress-reporter.js'
import { usingMigrator } from '../using-db.js'

/** `kysely-tenant migrate up`: the next pending migration only, per tenant. */
export const migrateUp: CliCommand = {
  name: 'migrate up',
  usage: 'migrate up [--tenant <slug>] [--limit <n>] [--fail-fast] [--json]',
  description: 'apply the next pending migration to every tenant',
  run: ({ flags, config, out }) =>
    usingMigrator(config, flags, async (migrator) => {
      const limit = integerFlag(flags, 'limit')
      const run = await migrator.migrateUp({
        ...(flags.tenant === undefined ? {} : { tenant: flags.tenant }),
        ...(limit === undefined ? {} : { limit }),
        ...(flags.json ? {} : { onProgress: progressReporter(out, 'migrating') }),
      })
      return printRun(out, run, flags.json ?? false)
    }),
}
