'use client'

import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { BarChart, FunnelChart, GaugeChart, LineChart, PieChart, TreemapChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import type { EChartsOption } from 'echarts'

echarts.use([BarChart, LineChart, PieChart, GaugeChart, FunnelChart, TreemapChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export type ChartHandle = { getDataURL(): string }

/**
 * One ECharts instance for the component's life: created on mount, resized with its box,
 * updated in place with setOption (series merged by id), disposed on unmount so a wall that runs
 * for weeks does not leak canvases.
 */
export function EChart({ option, onClick, handle }: { option: EChartsOption; onClick?: (params: { name: string; data: unknown }) => void; handle?: (h: ChartHandle | null) => void }) {
  const element = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  const clickRef = useRef(onClick)
  clickRef.current = onClick

  useEffect(() => {
    const el = element.current!
    const instance = echarts.init(el, undefined, { renderer: 'canvas', devicePixelRatio: window.devicePixelRatio || 1 })
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
  }, [])

  useEffect(() => {
    chart.current?.setOption(option, { replaceMerge: ['series'], lazyUpdate: true })
  }, [option])

  return <div ref={element} className="echart" />
}
