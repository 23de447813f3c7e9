'use client'

import { useEffect } from 'react'
import { useRouter } from 'next/navigation'

/**
 * With no region in the address, a signed-in user whose scope is below the city is moved to their
 * own county or town (a staff member was shown the city, which they may not see). Display tokens
 * and anonymous visitors are left alone: /api/auth/me answers 401 for them.
 */
export function OwnScope({ region, regionGiven }: { region: string; regionGiven: boolean }) {
  const router = useRouter()
  useEffect(() => {
    const search = new URLSearchParams(window.location.search)
    if (regionGiven || search.get('token')) return
    const abort = new AbortController()
    fetch('/api/auth/me', { signal: abort.signal, cache: 'no-store' })
      .then((res) => (res.ok ? (res.json() as Promise<{ user: { scope: string } }>) : null))
      .then((body) => {
        if (!body || body.user.scope === region) return
        search.set('region', body.user.scope)
        router.replace(`${window.location.pathname}?${search}`)
      })
      .catch(() => undefined)
    return () => abort.abort()
  }, [regionGiven, region, router])
  return null
}
