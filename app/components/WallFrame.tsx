'use client'

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import { computeFit, orientationOf, type Fit, type FitMode, type Orientation } from '../lib/fit'
import { formatClock, formatDateTime, formatDateWithWeekday, isDataBehindToday } from '../lib/format'
import { SERVER_RESTARTING } from '../../dashboards/types'
import { SOCKETS_FULL } from '../../dashboards/liveContract'
import type { Connection } from './useLive'
import { useViewport } from './useViewport'

const ScaleContext = createContext(1)
/** Screen pixels per design pixel of the 1920×1080 canvas. */
export const useDesignScale = () => useContext(ScaleContext)
const OrientationContext = createContext<Orientation>('landscape')
/** 'portrait' on a 9:16 screen: panels take the theme's portrait arrangement. */
export const useOrientation = () => useContext(OrientationContext)

function useFit(mode: FitMode): Fit | null {
  return useViewport((width, height) => computeFit(width, height, mode, orientationOf(width, height)), [mode])
}

export interface WallFrameProps {
  title: string
  /** region shown, e.g. 内江市 / 资中县 */
  place: string
  asOf: string | null
  connection: Connection
  error: string | null
  kiosk: boolean
  fit: FitMode
  screen?: string
  /** controls shown outside kiosk mode (theme tabs, pause, filters) */
  controls?: ReactNode
  /** shown between the title bar and the panels (in the flow: it never covers a panel), e.g. the flag card of a detour */
  notice?: ReactNode
  children: ReactNode
}

/**
 * The wall's canvas at the screen's real resolution: title bar with date, clock and data-as-of,
 * the wall-wide connection banner, and the panel grid. Sizes derive from `--u` (one design pixel).
 */
export function WallFrame({ title, place, asOf, connection, error, kiosk, fit: mode, screen, controls, notice, children }: WallFrameProps) {
  const fit = useFit(mode)
  const now = useClock()
  if (!fit) return <div className="wall-viewport" />
  const style = { width: fit.width, height: fit.height, left: fit.left, top: fit.top, '--u': `${fit.scale}px` } as React.CSSProperties
  return (
    <div className={`wall-viewport fit-${mode}${kiosk ? ' kiosk' : ''}`} data-connection={connection}>
      <div className={`wall-canvas ${fit.orientation}`} style={style} data-orientation={fit.orientation}>
        <header className="wall-title">
          <div className="wall-title-side">
            <span>{now ? formatDateWithWeekday(now) : ''}</span>
            {screen && <span className="screen-name">屏幕 {screen}</span>}
          </div>
          <h1>
            <span className="wall-title-main">内江市惠民惠农财政补贴资金“一卡通”监管</span>
            <span className="wall-title-theme">{place} · {title}</span>
          </h1>
          <div className="wall-title-side right">
            <span className="clock">{now ? formatClock(now) : ''}</span>
            <span className="as-of" data-behind={now && isDataBehindToday(asOf, now) ? 'true' : undefined}>
              数据截至 {formatDateTime(asOf)}
              {now && isDataBehindToday(asOf, now) ? '（非今日，时限按今日计）' : ''}
            </span>
          </div>
        </header>
        {connection === 'disconnected' && error === SOCKETS_FULL && (
          <div className="wall-banner" role="alert" data-banner="full">
            服务器{SOCKETS_FULL}… 以下数据可能已过期（数据截至 {formatDateTime(asOf)}）
          </div>
        )}
        {connection === 'disconnected' && error !== SOCKETS_FULL && (
          <div className="wall-banner" role="alert" data-banner="disconnected">
            {error === SERVER_RESTARTING ? SERVER_RESTARTING : '连接中断'}，正在重新连接… 以下数据可能已过期（数据截至 {formatDateTime(asOf)}）
          </div>
        )}
        {connection === 'refused' && (
          <div className="wall-banner refused" role="alert" data-banner="refused">
            无法获取数据：{error ?? '未授权'}。请检查大屏令牌或重新登录。
          </div>
        )}
        {notice}
        <ScaleContext.Provider value={fit.scale}>
          <OrientationContext.Provider value={fit.orientation}>
            <main className="wall-grid">{children}</main>
          </OrientationContext.Provider>
        </ScaleContext.Provider>
        {/* a bar of its own under the panels, never over one (kiosk walls have none) */}
        {!kiosk && controls && <nav className="wall-controls">{controls}</nav>}
      </div>
    </div>
  )
}

function useClock(): Date | null {
  const [now, setNow] = useState<Date | null>(null)
  useEffect(() => {
    setNow(new Date())
    const timer = setInterval(() => setNow(new Date()), 1000)
    return () => clearInterval(timer)
  }, [])
  return now
}

/**
 * Walls run for weeks: reload once a day to shed anything a long-lived page accumulates, but only
 * when the server answers, so a reload never lands on an error page during an outage.
 */
export function useSafeReload(enabled: boolean, afterMs = 24 * 3600 * 1000): void {
  useEffect(() => {
    if (!enabled) return
    let timer = setTimeout(function attempt() {
      fetch('/api/health', { cache: 'no-store' })
        .then((res) => (res.ok ? window.location.reload() : Promise.reject(new Error(String(res.status)))))
        .catch(() => {
          timer = setTimeout(attempt, 60_000)
        })
    }, afterMs)
    return () => clearTimeout(timer)
  }, [enabled, afterMs])
}
