import { isTenantStatus } from '@kysely-tenant/core'
import type { CliCommand } from '../cli-command.js'
import { integerFlag } from '../cli-flags.js'
import { table } from '../print-run.js'
import { usingTenants } from '../using-db.js'

/** `kysely-tenant tenants list`: one page of tenants. */
export const tenantsList: CliCommand = {
  name: 'tenants list',
  usage: 'tenants list [--status <status>] [--limit <n>] [--json]',
  description: 'list tenants with their status and migration head',
  run: ({ flags, config, out }) =>
    usingTenants(config, async (tenants) => {
      const limit = integerFlag(flags, 'limit')
      const status = flags.status
      if (status !== undefined && !isTenantStatus(status))
        throw new Error(`unknown status "${status}"`)
      const page = await tenants.list({
        ...(status === undefined ? {} : { status }),
        ...(limit === undefined ? {} : { limit }),
      })
      if (flags.json) out.write(`${JSON.stringify(page)}\n`)
      else {
        const rows = page.tenants.map((t) => [
          t.slug,
          t.status,
          t.schemaName,
          t.migrationHead ?? '-',
        ])
        out.write(table(['slug', 'status', 'schema', 'migration'], rows))
      }
      return 0
    }),
}
