import { slugProblem } from './slug.js'
import { type FieldProblem, TenantError } from './tenant-error.js'

/** A tenant's name is at most this many characters, after trimming. */
export const NAME_MAX_LENGTH = 255
/** A tenant's settings serialise to at most this many bytes of JSON. */
export const SETTINGS_MAX_BYTES = 64 * 1024
/** Settings nest at most this deep. */
export const SETTINGS_MAX_DEPTH = 16

/** Free-form per-tenant settings: a JSON object. */
export type TenantSettings = { readonly [key: string]: JsonValue }
/** Any value JSON can carry faithfully. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue }

/** What `create` accepts. */
export interface NewTenantInput {
  readonly name: string
  readonly slug: string
  readonly settings?: TenantSettings
}

/** What `update` accepts: every field optional, at least one present. */
export interface TenantUpdateInput {
  readonly name?: string
  readonly settings?: TenantSettings
}

/**
 * Checks a new tenant's fields and returns them normalised (name trimmed, settings
 * defaulted to `{}`). Throws one `TenantError('VALIDATION_FAILED')` whose `details` list
 * every problem, field by field. Unknown fields are problems too.
 */
export function validateNewTenant(input: unknown): Required<NewTenantInput> {
  const problems: FieldProblem[] = []
  const fields = asObject(input, problems)
  if (!fields) throw validationError(problems)
  unknownFields(fields, ['name', 'slug', 'settings'], problems)
  const name = checkName(fields.name, problems)
  const slug = slugProblem(fields.slug)
  if (slug !== undefined) problems.push({ field: 'slug', message: slug })
  const settings = 'settings' in fields ? checkSettings(fields.settings, problems) : {}
  if (problems.length > 0) throw validationError(problems)
  return { name: name as string, slug: fields.slug as string, settings: settings as TenantSettings }
}

/** Checks an update's fields like `validateNewTenant`; at least one field must be given. */
export function validateTenantUpdate(input: unknown): TenantUpdateInput {
  const problems: FieldProblem[] = []
  const fields = asObject(input, problems)
  if (!fields) throw validationError(problems)
  unknownFields(fields, ['name', 'settings'], problems)
  const update: { name?: string; settings?: TenantSettings } = {}
  if ('name' in fields) {
    const name = checkName(fields.name, problems)
    if (name !== undefined) update.name = name
  }
  if ('settings' in fields) {
    const settings = checkSettings(fields.settings, problems)
    if (settings !== undefined) update.settings = settings
  }
  if (!('name' in fields) && !('settings' in fields)) {
    problems.push({ field: '(body)', message: 'give at least one of name, settings' })
  }
  if (problems.length > 0) throw validationError(problems)
  return update
}

function asObject(input: unknown, problems: FieldProblem[]): Record<string, unknown> | undefined {
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    return input as Record<string, unknown>
  }
  problems.push({ field: '(body)', message: 'must be a JSON object' })
  return undefined
}

function unknownFields(fields: object, known: readonly string[], problems: FieldProblem[]): void {
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) problems.push({ field: key, message: 'is not a known field' })
  }
}

function checkName(value: unknown, problems: FieldProblem[]): string | undefined {
  if (typeof value !== 'string') {
    problems.push({ field: 'name', message: 'must be a string' })
    return undefined
  }
  const name = value.trim()
  if (name.length === 0) problems.push({ field: 'name', message: 'must not be empty' })
  else if (name.length > NAME_MAX_LENGTH) {
    problems.push({ field: 'name', message: `must be at most ${NAME_MAX_LENGTH} characters` })
  }
  return name
}

function checkSettings(value: unknown, problems: FieldProblem[]): TenantSettings | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ field: 'settings', message: 'must be a JSON object' })
    return undefined
  }
  const jsonProblem = findJsonProblem(value, 'settings', 0)
  if (jsonProblem) {
    problems.push(jsonProblem)
    return undefined
  }
  const bytes = utf8Length(JSON.stringify(value))
  if (bytes > SETTINGS_MAX_BYTES) {
    problems.push({
      field: 'settings',
      message: `must serialise to at most ${SETTINGS_MAX_BYTES} bytes of JSON, got ${bytes}`,
    })
    return undefined
  }
  return value as TenantSettings
}

// Walks the value and names the first thing JSON cannot carry faithfully.
function findJsonProblem(value: unknown, path: string, depth: number): FieldProblem | undefined {
  if (depth > SETTINGS_MAX_DEPTH) {
    return { field: path, message: `nests deeper than ${SETTINGS_MAX_DEPTH} levels` }
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { field: path, message: 'must be a finite number' }
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = findJsonProblem(item, `${path}[${i}]`, depth + 1)
      if (problem) return problem
    }
    return undefined
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      const problem = findJsonProblem(item, `${path}.${key}`, depth + 1)
      if (problem) return problem
    }
    return undefined
  }
  return { field: path, message: `is not a JSON value (${typeof value})` }
}

function validationError(problems: readonly FieldProblem[]): TenantError {
  const summary = problems.map((p) => `${p.field} ${p.message}`).join('; ')
  return new TenantError('VALIDATION_FAILED', `invalid tenant input: ${summary}`, {
    details: problems,
  })
}

// The UTF-8 size of a string, without Node's Buffer or the DOM's TextEncoder (core is pure).
function utf8Length(text: string): number {
  let bytes = 0
  for (const char of text) {
    const code = char.codePointAt(0) as number
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
  }
  return bytes
}
