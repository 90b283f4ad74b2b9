import { isTenantError } from '@kysely-tenant/core'
import type { CliCommand } from './cli-command.js'
import { loadCliConfig } from './cli-config.js'
import { CLI_FLAGS, parseCliArgs } from './cli-flags.js'
import { migrateDown } from './commands/migrate-down.js'
import { migrateLatest } from './commands/migrate-latest.js'
import { migrateList } from './commands/migrate-list.js'
import { migrateMake } from './commands/migrate-make.js'
import { migrateUp } from './commands/migrate-up.js'
import { tenantsCreate } from './commands/tenants-create.js'
import {
  tenantsActivate,
  tenantsDelete,
  tenantsProvision,
  tenantsSuspend,
} from './commands/tenants-lifecycle.js'
import { tenantsList } from './commands/tenants-list.js'
import { tenantsPurge } from './commands/tenants-purge.js'
import type { CliOutput } from './progress-reporter.js'

const COMMANDS: readonly CliCommand[] = [
  migrateLatest,
  migrateUp,
  migrateDown,
  migrateList,
  migrateMake,
  tenantsList,
  tenantsCreate,
  tenantsProvision,
  tenantsSuspend,
  tenantsActivate,
  tenantsDelete,
  tenantsPurge,
]

/**
 * The `kysely-tenant` CLI: finds the command named by the first two words, loads the
 * config and runs it. Returns the exit code: 0 on success, 1 when a tenant or the command
 * failed, 2 for a usage error.
 *
 * ### Examples
 *
 * ```sh
 * kysely-tenant migrate latest --fail-fast
 * kysely-tenant tenants create acme-corp --name "ACME Corp"
 * ```
 */
export async function runCli(
  argv: readonly string[],
  out: CliOutput = stdout(),
  err: CliOutput = stderr(),
) {
  let parsed: ReturnType<typeof parseCliArgs>
  try {
    parsed = parseCliArgs(argv)
  } catch (error) {
    err.write(`${(error as Error).message}\n${help()}`)
    return 2
  }
  const [group, action, ...args] = parsed.positionals
  const command = COMMANDS.find((c) => c.name === `${group} ${action}`)
  if (!command || parsed.flags.help) {
    ;(command || parsed.flags.help ? out : err).write(
      command ? `usage: kysely-tenant ${command.usage}\n` : help(),
    )
    return command || parsed.flags.help ? 0 : 2
  }
  try {
    const config = await loadCliConfig(parsed.flags)
    return await command.run({ flags: parsed.flags, args, config, out })
  } catch (error) {
    const code = isTenantError(error) ? `${error.code}: ` : ''
    err.write(
      `kysely-tenant ${command.name}: ${code}${error instanceof Error ? error.message : String(error)}\n`,
    )
    return 1
  }
}

function help(): string {
  const commands = COMMANDS.map((c) => `  ${c.usage}\n      ${c.description}`).join('\n')
  const flags = Object.entries(CLI_FLAGS).map(
    ([name, f]) => `  --${name.padEnd(18)} ${f.description}`,
  )
  return `usage: kysely-tenant <command> [flags]\n\ncommands:\n${commands}\n\nflags:\n${flags.join('\n')}\n`
}

function stdout(): CliOutput {
  return { isTTY: process.stdout.isTTY === true, write: (text) => process.stdout.write(text) }
}

function stderr(): CliOutput {
  return { isTTY: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) }
}
