import type { Dialect, Driver } from 'kysely'

/**
 * `dialect` with its driver replaced: same adapter, query compiler and introspector.
 * Lets many `Kysely` instances run on one driver (one pool) that they do not own.
 */
export function withDriver(dialect: Dialect, createDriver: () => Driver): Dialect {
  return {
    createDriver,
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  }
}
