'use client'

import { useEffect, useState } from 'react'

/**
 * `measure(innerWidth, innerHeight)`, recomputed when the window resizes (a wall's controller
 * changing resolution); null before the first measurement, so nothing renders at a guessed size.
 */
export function useViewport<T>(measure: (width: number, height: number) => T, deps: readonly unknown[]): T | null {
  const [value, setValue] = useState<T | null>(null)
  useEffect(() => {
    const update = () => setValue(measure(window.innerWidth, window.innerHeight))
    update()
    window.addEventListener('resize', update)
    return () => window.removeEventListener('resize', update)
    // The caller names what `measure` depends on, as with useMemo; the lint checks those callers
    // (eslint.config.js: additionalHooks), so it cannot check this list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)
  return value
}
