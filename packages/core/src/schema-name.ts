import { assertValidSlug } from './slug.js'
import { TenantError } from './tenant-error.js'

/** The prefix of every tenant schema unless configured otherwise: `acme-corp` -> `tenant_acme_corp`. */
export const DEFAULT_SCHEMA_PREFIX = 'tenant_'

/**
 * PostgreSQL's identifier limit (NAMEDATALEN - 1). Longer identifiers are not refused but
 * SILENTLY truncated (only a NOTICE is raised), so two long names with a common prefix
 * would name one schema. Every name derived here fits.
 */
export const MAX_IDENTIFIER_BYTES = 63

/** A prefix is at most this long, so a long slug keeps a readable part beside its hash. */
export const MAX_SCHEMA_PREFIX_BYTES = 24

const HASH_LENGTH = 13 // 64 bits in base 36

/** Options of `slugToSchemaName`. */
export interface SchemaNameOptions {
  /**
   * Prepended to every schema name. Lowercase letters, digits and underscores, starting
   * with a letter, at most 24 characters. Defaults to `tenant_`.
   */
  readonly prefix?: string
}

/**
 * Derives the PostgreSQL schema name of a tenant from its slug.
 *
 * The rule: `prefix + slug` with every `-` replaced by `_`. When that is longer than 63
 * bytes, the slug part is cut so that `prefix + part + "__" + hash` is 63 bytes
 * (62 when the cut ends on a hyphen, which is dropped), where `hash` is the 64-bit FNV-1a hash of the whole slug in base 36 (13 characters).
 * A slug never holds two hyphens in a row, so short names never contain `__` after the
 * prefix and can never equal a shortened name. Two long slugs get distinct names unless
 * their hashes collide (odds about 2^-64); the registry's UNIQUE constraint on the schema
 * name turns even that into a refused create, never a shared schema.
 *
 * ### Examples
 *
 * ```ts
 * slugToSchemaName('acme-corp') // 'tenant_acme_corp'
 * slugToSchemaName('acme-corp', { prefix: 'org_' }) // 'org_acme_corp'
 * slugToSchemaName('a'.repeat(100)) // 'tenant_aaaa…aaaa__<13 hash chars>' (63 bytes)
 * ```
 */
export function slugToSchemaName(slug: string, options: SchemaNameOptions = {}): string {
  const prefix = assertValidSchemaPrefix(options.prefix ?? DEFAULT_SCHEMA_PREFIX)
  const plain = prefix + assertValidSlug(slug).replaceAll('-', '_')
  if (plain.length <= MAX_IDENTIFIER_BYTES) return plain // all ASCII: bytes == characters
  const hash = fnv1a64(slug).toString(36).padStart(HASH_LENGTH, '0')
  const room = MAX_IDENTIFIER_BYTES - prefix.length - 2 - HASH_LENGTH
  const part = plain.slice(prefix.length, prefix.length + room).replace(/_+$/, '')
  return `${prefix}${part}__${hash}`
}

/** Returns `prefix` when it can start a schema name; throws `INVALID_SCHEMA_PREFIX` otherwise. */
export function assertValidSchemaPrefix(prefix: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(prefix) || prefix.length > MAX_SCHEMA_PREFIX_BYTES) {
    throw new TenantError(
      'INVALID_SCHEMA_PREFIX',
      `invalid schema prefix ${JSON.stringify(prefix)}: use 1-${MAX_SCHEMA_PREFIX_BYTES} lowercase letters, digits and underscores, starting with a letter`,
    )
  }
  return prefix
}

const FNV_OFFSET = 0xcbf29ce484222325n
const FNV_PRIME = 0x100000001b3n
const MASK_64 = 0xffffffffffffffffn

// FNV-1a: tiny, dependency-free and stable across runtimes. It only has to spread names;
// uniqueness is enforced by the database, not by the hash.
function fnv1a64(text: string): bigint {
  let hash = FNV_OFFSET
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i))
    hash = (hash * FNV_PRIME) & MASK_64
  }
  return hash
}
