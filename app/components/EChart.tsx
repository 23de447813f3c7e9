'use client'

import { useEffect, useRef } from 'react'
import type { EChartsOption } from 'echarts'
import { lazyModule, useLazyModule } from '../lib/lazyModule'
import type { ECharts } from '../lib/echartsModules'

/**
 * ECharts arrives in a chunk of its own (app/lib/echartsModules.ts), fetched as soon as a page
 * holding charts runs its code, in parallel with the socket's connect and first snapshot: charts
 * are on nearly every theme, but the page's frame, KPIs and ticker need not wait for them.
 */
const charts = lazyModule(() => import('../lib/echartsModules'))
if (typeof window !== 'undefined') charts.load().catch(() => {}) // retried by each chart that mounts

export type ChartHandle = { getDataURL(): string }

/**
 * One ECharts instance for the component's life: created on mount, resized with its box,
 * updated in place with setOption (series merged by id), disposed on unmount so a wall that runs
 * for weeks does not leak canvases.
 */
export function EChart({ option, onClick, handle }: { option: EChartsOption; onClick?: (params: { name: string; data: unknown }) => void; handle?: (h: ChartHandle | null) => void }) {
  const element = useRef<HTMLDivElement>(null)
  const chart = useRef<ECharts | null>(null)
  const lib = useLazyModule(charts)
  const clickRef = useRef(onClick)
  clickRef.current = onClick

  useEffect(() => {
    if (!lib) return
    const el = element.current!
    const instance = lib.init(el, undefined, { renderer: 'canvas', devicePixelRatio: window.devicePixelRatio || 1 })
    chart.current = instance
    instance.on('click', (params) => clickRef.current?.(params as { name: string; data: unknown }))
    const observer = new ResizeObserver(() => instance.resize())
    observer.observe(el)
    handle?.({ getDataURL: () => instance.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#0a1a36' }) })
    return () => {
      handle?.(null)
      observer.disconnect()
      instance.dispose()
      chart.current = null
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lib])

  useEffect(() => {
    chart.current?.setOption(option, { replaceMerge: ['series'], lazyUpdate: true })
  }, [option, lib])

  return <div ref={element} className="echart" data-chart={lib ? 'ready' : 'loading'} />
}
