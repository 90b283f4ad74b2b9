import type { TenantMigrationRun } from '../migration/tenant-migration-result.js'
import type { CliOutput } from './progress-reporter.js'

/**
 * Prints a run: with `json`, one JSON document; otherwise a table of the tenants that ran
 * and a summary line. Returns the exit code: 1 when any tenant failed.
 */
export function printRun(out: CliOutput, run: TenantMigrationRun, json: boolean): number {
  const code = run.summary.failed > 0 ? 1 : 0
  if (json) {
    out.write(`${JSON.stringify(run)}\n`)
    return code
  }
  const rows = run.results.map((r) => [
    r.tenant,
    r.error ? 'FAILED' : r.applied.length + r.reverted.length > 0 ? 'ok' : 'unchanged',
    r.from ?? '-',
    r.to ?? '-',
    `${Math.round(r.durationMs)} ms`,
    r.error ? formatError(r.error) : '',
  ])
  if (rows.length > 0) out.write(table(['tenant', 'result', 'from', 'to', 'time', 'error'], rows))
  const s = run.summary
  out.write(
    `${s.tenants} tenants: ${s.upToDate} already at latest, ${s.migrated} migrated, ` +
      `${s.unchanged} unchanged, ${s.failed} failed, ${s.notRun} not run (${Math.round(s.durationMs)} ms)\n`,
  )
  return code
}

function formatError(error: NonNullable<TenantMigrationRun['results'][number]['error']>): string {
  const extra = [
    error.pgCode && `code ${error.pgCode}`,
    error.detail,
    error.hint && `hint: ${error.hint}`,
  ]
  return [error.message, ...extra.filter(Boolean)].join('; ')
}

/** A plain text table, columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('')
}
