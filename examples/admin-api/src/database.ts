import type { Generated } from 'kysely'

/** The tables of one tenant's schema, as created by migrations/tenant. */
export interface Database {
  customers: {
    id: Generated<string>
    email: string
    name: string
    created_at: Generated<Date>
  }
  orders: {
    id: Generated<string>
    customer_id: string
    status: Generated<'pending' | 'paid' | 'shipped' | 'cancelled'>
    created_at: Generated<Date>
  }
}
