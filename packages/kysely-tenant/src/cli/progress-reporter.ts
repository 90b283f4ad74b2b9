import type { TenantMigrationProgress } from '../migration/tenant-fan-out.js'

/** Where the CLI writes; a TTY gets a redrawn bar, anything else plain lines. */
export interface CliOutput {
  readonly isTTY: boolean
  write(text: string): void
}

/**
 * An `onProgress` callback: on a TTY one bar redrawn in place with counts and an ETA from
 * the average pace so far; otherwise one line per tenant, which logs and CI keep readable.
 */
export function progressReporter(out: CliOutput, verb: string) {
  const started = Date.now()
  return (p: TenantMigrationProgress) => {
    const r = p.result
    if (!out.isTTY) {
      const what = r.error
        ? `FAILED ${r.error.message}`
        : `${r.from ?? '(none)'} -> ${r.to ?? '(none)'}`
      out.write(`[${p.done}/${p.total}] ${r.tenant}: ${what}\n`)
      return
    }
    const width = 30
    const filled = Math.round((p.done / Math.max(1, p.total)) * width)
    const elapsed = Date.now() - started
    const eta = p.done === 0 ? 0 : Math.round(((p.total - p.done) * elapsed) / p.done / 1000)
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`
    out.write(`\r${verb} [${bar}] ${p.done}/${p.total} failed ${p.failed} eta ${eta}s `)
    if (p.done === p.total) out.write('\n')
  }
}
