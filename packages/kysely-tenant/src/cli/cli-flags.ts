import { parseArgs } from 'node:util'

/** Every flag of the CLI, defined once; each command reads the ones it needs. */
export const CLI_FLAGS = {
  url: {
    type: 'string',
    description: 'PostgreSQL connection string (else the config, else DATABASE_URL)',
  },
  cwd: { type: 'string', description: 'where to look for kysely.config.ts (default: .)' },
  'migrations-folder': {
    type: 'string',
    description: 'tenant migrations (default: migrations/tenant)',
  },
  'control-schema': {
    type: 'string',
    description: 'schema of the tenants table (default: public)',
  },
  tenant: { type: 'string', description: 'only this tenant (slug)' },
  limit: { type: 'string', description: 'migrate at most this many tenants (canary runs)' },
  to: { type: 'string', description: 'down: undo every migration after this one' },
  concurrency: { type: 'string', description: 'tenants at once (default: pool size - 1)' },
  'fail-fast': { type: 'boolean', description: 'start no tenant after the first failure' },
  'allow-unordered': {
    type: 'boolean',
    description: 'run pending migrations older than applied ones',
  },
  name: { type: 'string', description: 'tenants create: display name (default: the slug)' },
  status: { type: 'string', description: 'tenants list: only this status' },
  confirm: { type: 'string', description: 'tenants purge: repeat the slug to confirm' },
  json: { type: 'boolean', description: 'print JSON instead of text' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
} as const

/** The parsed flags. */
export type CliFlags = {
  -readonly [K in keyof typeof CLI_FLAGS]?: (typeof CLI_FLAGS)[K]['type'] extends 'boolean'
    ? boolean
    : string
}

/** Splits argv into flags and positionals; unknown flags are an error. */
export function parseCliArgs(argv: readonly string[]): { flags: CliFlags; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: CLI_FLAGS,
    allowPositionals: true,
    strict: true,
  })
  return { flags: values as CliFlags, positionals }
}

/** A flag given as a positive integer, or `undefined` when absent. */
export function integerFlag(flags: CliFlags, name: 'limit' | 'concurrency'): number | undefined {
  const value = flags[name]
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer, got "${value}"`)
  return n
}
