import type { Tenant } from '../../registry/tenant-record.js'
import type { CliOutput } from '../progress-reporter.js'

/** One tenant, as JSON or as one line. */
export function printTenant(out: CliOutput, tenant: Tenant, json: boolean): void {
  if (json) out.write(`${JSON.stringify(tenant)}\n`)
  else out.write(`${tenant.slug}: ${tenant.status} (schema ${tenant.schemaName})\n`)
}
