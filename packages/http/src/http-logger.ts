/**
 * Where the HTTP layer reports what it keeps from clients: the real error behind a 500.
 * Request headers (and so admin tokens) are never passed to it.
 *
 * ### Examples
 *
 * ```ts
 * import pino from 'pino'
 * const log = pino()
 * createAdminApi({ tenants, logger: { error: (message, error) => log.error({ err: error }, message) } })
 * ```
 */
export interface HttpLogger {
  error(message: string, error: unknown): void
}

/**
 * Logs to `console.error`: the default of every `logger` option.
 *
 * ### Examples
 *
 * ```ts
 * app.onError(tenantErrorHandler(CONSOLE_LOGGER))
 * ```
 */
export const CONSOLE_LOGGER: HttpLogger = Object.freeze({
  error(message: string, error: unknown) {
    console.error(message, error)
  },
})
