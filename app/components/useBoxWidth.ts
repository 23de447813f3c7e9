'use client'

import { useCallback, useRef, useState } from 'react'

/**
 * The width in screen pixels of the element the returned ref is put on, kept up to date as it
 * resizes (a panel on /review at 1366×768 is a third of one on a 1920 wall). null until measured.
 */
export function useBoxWidth<T extends HTMLElement>(): [(element: T | null) => void, number | null] {
  const [width, setWidth] = useState<number | null>(null)
  const observer = useRef<ResizeObserver | null>(null)
  const ref = useCallback((element: T | null) => {
    observer.current?.disconnect()
    observer.current = null
    if (!element) return
    // whole pixels: sub-pixel jitter would rebuild chart options for nothing
    const measure = () => setWidth(Math.round(element.getBoundingClientRect().width))
    measure()
    observer.current = new ResizeObserver(measure)
    observer.current.observe(element)
  }, [])
  return [ref, width]
}
