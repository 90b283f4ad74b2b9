import type { CliCommand } from '../cli-command.js'
import { usingTenants } from '../using-db.js'
import { printTenant } from './print-tenant.js'

/** `kysely-tenant tenants purge <slug> --confirm <slug>`: drop a deleted tenant's row and schema. */
export const tenantsPurge: CliCommand = {
  name: 'tenants purge',
  usage: 'tenants purge <slug> --confirm <slug> [--json]',
  description: 'drop a deleted tenant and its schema for good (the slug becomes free)',
  run: ({ flags, args, config, out }) =>
    usingTenants(config, async (tenants) => {
      // The service checks the confirmation; the CLI only passes what was typed.
      const tenant = await tenants.purge(args[0] ?? '', { confirm: flags.confirm ?? '' })
      // The tenant as it was before the purge; say what happened to it, not its last status.
      if (flags.json) printTenant(out, tenant, true)
      else out.write(`${tenant.slug}: purged (schema ${tenant.schemaName} dropped, slug free)\n`)
      return 0
    }),
}
