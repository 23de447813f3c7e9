'use client'

import { useEffect, useState } from 'react'

/**
 * A module fetched on first use (its own chunk), not with the page: the wall's first-load JS
 * stays small and the page draws its frame, KPIs and ticker while charts and the map arrive.
 * A failed fetch (network drop, a server restarting) is forgotten, so the next `load()` tries
 * again: a wall left on for days must not stay without charts because one request failed.
 */
export interface LazyModule<T> {
  load(): Promise<T>
  /** the module once loaded, else undefined (lets a remount draw at once) */
  loaded(): T | undefined
}

export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let pending: Promise<T> | undefined
  let value: T | undefined
  return {
    load() {
      pending ??= importer().then(
        (module) => (value = module),
        (error: unknown) => {
          pending = undefined
          throw error
        },
      )
      return pending
    },
    loaded: () => value,
  }
}

/** First retry after a failed fetch; doubles up to a minute. */
const RETRY_FIRST_MS = 2000
const RETRY_MAX_MS = 60_000

/** The module for rendering: undefined until it has loaded; failed fetches are retried with backoff. */
export function useLazyModule<T>(lazy: LazyModule<T>): T | undefined {
  const [module, setModule] = useState<T | undefined>(() => lazy.loaded())
  useEffect(() => {
    if (module) return
    let cancelled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const attempt = (delay: number) => {
      lazy.load().then(
        (loaded) => {
          if (!cancelled) setModule(() => loaded)
        },
        () => {
          if (!cancelled) timer = setTimeout(() => attempt(Math.min(delay * 2, RETRY_MAX_MS)), delay)
        },
      )
    }
    attempt(RETRY_FIRST_MS)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [lazy, module])
  return module
}
