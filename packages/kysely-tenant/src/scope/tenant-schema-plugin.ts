import {
  IdentifierNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type SchemableIdentifierNode,
  type UnknownRow,
  WithSchemaPlugin,
} from 'kysely'

// A schema name PostgreSQL cannot have (NUL is not allowed in identifiers), so it never
// collides with a real one and can never reach the database unnoticed.
const SHARED_MARK = '\u0000kysely-tenant:shared'

/**
 * Schema-qualifies every table of every query with the tenant's schema, the way Kysely's
 * `WithSchemaPlugin` does, except the declared shared tables, which stay unqualified.
 *
 * The qualification itself is delegated to Kysely's own `WithSchemaPlugin` (so CTEs,
 * aliases, `json_agg` arguments and future node kinds behave exactly as upstream). Shared
 * tables are hidden from it by giving them a placeholder schema first (it leaves qualified
 * tables alone) and taking the placeholder off afterwards.
 *
 * `TenantKysely.withTenant` adds this plugin for you; use it directly only to build your own
 * scoped instances.
 *
 * ### Examples
 *
 * ```ts
 * const scoped = db.withPlugin(new TenantSchemaPlugin('tenant_acme_corp', ['plans']))
 *
 * await scoped
 *   .selectFrom('orders')
 *   .innerJoin('plans', 'plans.id', 'orders.plan_id')
 *   .select(['orders.id', 'plans.name'])
 *   .execute()
 * ```
 *
 * The generated SQL (PostgreSQL):
 *
 * ```sql
 * select "tenant_acme_corp"."orders"."id", "plans"."name"
 * from "tenant_acme_corp"."orders"
 * inner join "plans" on "plans"."id" = "tenant_acme_corp"."orders"."plan_id"
 * ```
 */
export class TenantSchemaPlugin implements KyselyPlugin {
  readonly #withSchema: WithSchemaPlugin
  readonly #mark: MarkSharedTables | undefined
  readonly #unmark = new UnmarkSharedTables()

  /**
   * @param schema The tenant's schema.
   * @param sharedTables Tables that live in a shared schema. `'shared.plans'` is always
   *   qualified with its schema; a bare `'plans'` is left unqualified and found through the
   *   search path: inside a scoped transaction the shared schemas, outside one the
   *   connection's default (`"$user", public`).
   */
  constructor(schema: string, sharedTables: readonly string[] = []) {
    this.#withSchema = new WithSchemaPlugin(schema)
    this.#mark = sharedTables.length > 0 ? new MarkSharedTables(sharedTables) : undefined
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (!this.#mark) return this.#withSchema.transformQuery(args)
    const marked = this.#mark.transformNode(args.node, args.queryId)
    const qualified = this.#withSchema.transformQuery({ ...args, node: marked })
    return this.#unmark.transformNode(qualified, args.queryId)
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

class MarkSharedTables extends OperationNodeTransformer {
  // Table name -> its schema (`'shared.plans'`), or the mark (`'plans'`: left unqualified).
  readonly #tables: ReadonlyMap<string, string>

  constructor(tables: readonly string[]) {
    super()
    this.#tables = new Map(
      tables.map((entry) => {
        const dot = entry.indexOf('.')
        return dot === -1 ? [entry, SHARED_MARK] : [entry.slice(dot + 1), entry.slice(0, dot)]
      }),
    )
  }

  protected override transformSchemableIdentifier(
    node: SchemableIdentifierNode,
  ): SchemableIdentifierNode {
    const schema = node.schema ? undefined : this.#tables.get(node.identifier.name)
    return schema === undefined ? node : { ...node, schema: IdentifierNode.create(schema) }
  }
}

class UnmarkSharedTables extends OperationNodeTransformer {
  protected override transformSchemableIdentifier(
    node: SchemableIdentifierNode,
  ): SchemableIdentifierNode {
    if (node.schema?.name !== SHARED_MARK) return node
    return { kind: node.kind, identifier: node.identifier }
  }
}
