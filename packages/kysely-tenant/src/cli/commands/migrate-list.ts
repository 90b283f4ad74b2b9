import type { CliCommand } from '../cli-command.js'
import { table } from '../print-run.js'
import { usingMigrator } from '../using-db.js'

/** `kysely-tenant migrate list`: the plan (dry run), pending migrations per tenant. */
export const migrateList: CliCommand = {
  name: 'migrate list',
  usage: 'migrate list [--tenant <slug>] [--json]',
  description: 'list pending migrations per tenant without changing anything',
  run: ({ flags, config, out }) =>
    usingMigrator(config, flags, async (migrator) => {
      const plan = await migrator.plan(flags.tenant === undefined ? {} : { tenant: flags.tenant })
      const refused = plan.filter((s) => s.error).length
      if (flags.json) {
        out.write(`${JSON.stringify(plan)}\n`)
        return refused > 0 ? 1 : 0
      }
      const behind = plan.filter((s) => s.pending.length > 0 || s.error)
      const rows = behind.map((s) => [
        s.tenant,
        s.head ?? '-',
        s.error?.message ?? s.pending.join(', '),
      ])
      if (rows.length > 0) out.write(table(['tenant', 'head', 'pending'], rows))
      out.write(
        `${plan.length} tenants: ${plan.length - behind.length} at latest, ${behind.length - refused} pending, ${refused} refused\n`,
      )
      return refused > 0 ? 1 : 0
    }),
}
