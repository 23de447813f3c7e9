import type { Db } from '../db/client'

/**
 * The same database, counting the queries the hub sends: the bench compares them with clients
 * polling on their own. Every call passes straight through.
 */
export function countingDb(db: Db): { db: Db; count(): number } {
  let queries = 0
  const client = new Proxy(db.client, {
    get(target, property) {
      const value = Reflect.get(target, property, target)
      if (property === 'query')
        return (...args: Parameters<typeof target.query>) => {
          queries += 1
          return target.query(...args)
        }
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { db: { ...db, client }, count: () => queries }
}
