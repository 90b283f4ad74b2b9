import { TenantError } from './tenant-error.js'

/** A slug has at least this many characters. */
export const SLUG_MIN_LENGTH = 2
/** A slug has at most this many characters. */
export const SLUG_MAX_LENGTH = 100

/**
 * Why `value` is not a valid tenant slug, or `undefined` when it is one.
 *
 * A slug is 2-100 lowercase ASCII letters and digits, with single hyphens inside
 * (`acme-corp`). The rules are checked in a fixed order and the first broken one is named.
 */
export function slugProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string, got ${describeType(value)}`
  if (value.length === 0) return 'must not be empty'
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the rule
  if (/[^\x00-\x7f]/.test(value)) return 'only ASCII characters are allowed'
  if (/[A-Z]/.test(value)) return 'uppercase letters are not allowed'
  if (/\s/.test(value)) return 'spaces are not allowed'
  if (value.includes('_')) return 'underscores are not allowed, use a hyphen'
  if (/[^a-z0-9-]/.test(value)) return 'only lowercase letters, digits and hyphens are allowed'
  if (value.startsWith('-') || value.endsWith('-')) return 'must not start or end with a hyphen'
  if (value.includes('--')) return 'must not contain two hyphens in a row'
  if (value.length < SLUG_MIN_LENGTH) return `must be at least ${SLUG_MIN_LENGTH} characters`
  if (value.length > SLUG_MAX_LENGTH) return `must be at most ${SLUG_MAX_LENGTH} characters`
  return undefined
}

/**
 * True when `value` is a valid tenant slug.
 *
 * ### Examples
 *
 * ```ts
 * isValidSlug('acme-corp') // true
 * isValidSlug('ACME') // false: uppercase
 * isValidSlug('acme_corp') // false: underscore
 * ```
 */
export function isValidSlug(value: unknown): value is string {
  return slugProblem(value) === undefined
}

/**
 * Returns `value` when it is a valid slug; throws `TenantError('INVALID_SLUG')` naming the
 * broken rule otherwise, e.g. `invalid tenant slug "ACME": uppercase letters are not allowed`.
 */
export function assertValidSlug(value: unknown): string {
  const problem = slugProblem(value)
  if (problem !== undefined) {
    throw new TenantError('INVALID_SLUG', `invalid tenant slug ${quote(value)}: ${problem}`, {
      details: { slug: typeof value === 'string' ? value : null, problem },
    })
  }
  return value as string
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

/** Quotes a (possibly hostile) value for an error message, bounded in length. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value)
  const bounded = text.length > 120 ? `${text.slice(0, 117)}...` : text
  return JSON.stringify(bounded)
}
