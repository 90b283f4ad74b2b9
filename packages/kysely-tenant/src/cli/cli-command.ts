import type { CliConfig } from './cli-config.js'
import type { CliFlags } from './cli-flags.js'
import type { CliOutput } from './progress-reporter.js'

/** What a subcommand receives. */
export interface CliContext {
  readonly flags: CliFlags
  /** Positionals after the command's own words (`tenants create <slug>` gets `[slug]`). */
  readonly args: readonly string[]
  readonly config: CliConfig
  readonly out: CliOutput
}

/** One subcommand: it parses nothing itself and returns the exit code. */
export interface CliCommand {
  /** `migrate latest`, `tenants create`, ... */
  readonly name: string
  readonly usage: string
  readonly description: string
  run(context: CliContext): Promise<number>
}
