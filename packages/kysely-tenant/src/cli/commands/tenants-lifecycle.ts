import type { CliCommand } from '../cli-command.js'
import { usingTenants } from '../using-db.js'
import { printTenant } from './print-tenant.js'

type LifecycleAction = 'provision' | 'suspend' | 'activate' | 'delete'

const DESCRIPTIONS: Record<LifecycleAction, string> = {
  provision: 'create and migrate the schema of an active tenant',
  suspend: 'refuse access to a provisioned tenant, keeping its data',
  activate: 'give a suspended tenant access again',
  delete: 'soft-delete a tenant (its schema stays until purge)',
}

// The four status changes take the same arguments and print the same thing.
function lifecycleCommand(action: LifecycleAction): CliCommand {
  return {
    name: `tenants ${action}`,
    usage: `tenants ${action} <slug> [--json]`,
    description: DESCRIPTIONS[action],
    run: ({ flags, args, config, out }) =>
      usingTenants(config, async (tenants) => {
        printTenant(out, await tenants[action](args[0] ?? ''), flags.json ?? false)
        return 0
      }),
  }
}

/** `kysely-tenant tenants provision <slug>`. */
export const tenantsProvision = lifecycleCommand('provision')
/** `kysely-tenant tenants suspend <slug>`. */
export const tenantsSuspend = lifecycleCommand('suspend')
/** `kysely-tenant tenants activate <slug>`. */
export const tenantsActivate = lifecycleCommand('activate')
/** `kysely-tenant tenants delete <slug>`. */
export const tenantsDelete = lifecycleCommand('delete')
