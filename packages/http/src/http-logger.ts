/**
 * Where the HTTP layer reports what it keeps from clients: the real error behind a 500.
 * Request headers (and so admin tokens) are never passed to it.
 *
 * ### Examples
 *
 * ```ts
 * // One JSON line per error, for a log collector (pino's `log.error({ err }, message)` fits too)
 * const logger: HttpLogger = {
 *   error: (message, error) =>
 *     console.error(JSON.stringify({ level: 'error', message, error: String(error) })),
 * }
 * createAdminApi({ tenants, logger })
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
