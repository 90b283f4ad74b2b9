import type { CliCommand } from '../cli-command.js'
import { usingTenants } from '../using-db.js'
import { printTenant } from './print-tenant.js'

/** `kysely-tenant tenants create <slug>`: a new active tenant (no schema yet). */
export const tenantsCreate: CliCommand = {
  name: 'tenants create',
  usage: 'tenants create <slug> [--name <name>] [--json]',
  description: 'create an active tenant (provision it to get its schema)',
  run: ({ flags, args, config, out }) =>
    usingTenants(config, async (tenants) => {
      const slug = args[0] ?? ''
      const tenant = await tenants.create({ slug, name: flags.name ?? slug })
      printTenant(out, tenant, flags.json ?? false)
      return 0
    }),
}
