'use client'

import { useCallback, useEffect, useRef, useState } from 'react'
import { dashboards } from '../../dashboards'
import { themeTitles, type FlagEvent, type ThemeId } from '../../dashboards/types'
import { CITY_CODE, countyOf, getRegion } from '../../geo/regions'
import type { FitMode } from '../lib/fit'
import { advance, currentView, detourOnScreen, jumpToFlag, nextView, type RotationPlan, type RotationState } from '../lib/rotation'
import { FlagCard, nextDetourFlags, type DetourFlags } from './FlagCard'
import { ThemeBoard } from './ThemeBoard'
import { WallFrame, useSafeReload } from './WallFrame'
import { useFlags, useLiveRooms, useSocket } from './useLive'

const CRITICAL_DWELL_MIN_SEC = 15
const SWITCH_WAIT_MS = 3000

export interface WallScreenProps {
  plan: RotationPlan
  /** false on /wall/[theme]: one theme, no rotation */
  rotate: boolean
  region: string
  token?: string
  kiosk: boolean
  fit: FitMode
  screen?: string
  /** jump to 监管预警 on critical flags (default on) */
  jump: boolean
  reloadDaily: boolean
}

/**
 * A wall screen: one socket, the current theme's room, the playlist timer and the detour to
 * 监管预警 when a critical flag comes in. The position is kept per screen name, so the daily
 * reload resumes where it was.
 */
export function WallScreen({ plan, rotate, region, token, kiosk, fit, screen, jump, reloadDaily }: WallScreenProps) {
  const storageKey = `ykt-rotation-${screen ?? 'default'}`
  const [state, setState] = useState<RotationState>({ index: 0, detour: null })
  const [paused, setPaused] = useState(false)
  useEffect(() => {
    const saved = Number(sessionStorage.getItem(storageKey))
    if (Number.isInteger(saved) && saved > 0) setState({ index: saved % plan.themes.length, detour: null })
  }, [storageKey, plan.themes.length])
  useEffect(() => {
    sessionStorage.setItem(storageKey, String(state.index))
  }, [storageKey, state.index])

  const view = rotate ? currentView(plan, state, region) : state.detour ? currentView(plan, state, region) : { theme: plan.themes[0], region }
  const dwellSec = plan.dwellOverride ?? dashboards[view.theme].dwellSec

  useEffect(() => {
    if ((!rotate || paused) && !state.detour) return
    const wait = state.detour ? Math.max(0, state.detour.until - Date.now()) : dwellSec * 1000
    const timer = setTimeout(() => setState((s) => advance(plan, s, Date.now())), wait)
    return () => clearTimeout(timer)
  }, [rotate, paused, state, dwellSec, plan])

  const socket = useSocket(token)
  // What is on screen: the view, once its room has data. Until then the previous theme stays up
  // (its own numbers under its own title), so a switch never shows empty panels; a room that
  // cannot answer (refused, server down) gets the screen after SWITCH_WAIT_MS anyway.
  const [shown, setShown] = useState(view)
  const next = rotate ? nextView(plan, state, region) : null
  const wanted = [shown, view, ...(next ? [next] : [])].map((v) => ({ dashboard: v.theme, region: v.region }))
  const live = useLiveRooms(socket, wanted)
  const viewReady = live.stateOf({ dashboard: view.theme, region: view.region }) !== null
  const switching = shown.theme !== view.theme || shown.region !== view.region
  useEffect(() => {
    if (!switching) return
    if (viewReady) return setShown(view)
    const timer = setTimeout(() => setShown(view), SWITCH_WAIT_MS)
    return () => clearTimeout(timer)
  }, [switching, viewReady, view.theme, view.region]) // eslint-disable-line react-hooks/exhaustive-deps
  const shownKey = { dashboard: shown.theme, region: shown.region }
  const dashboard = dashboards[shown.theme]
  const room = live.stateOf(shownKey)
  const connection = live.connectionOf(shownKey)
  // the flag a detour is about stays on the card for the whole detour (FlagCard)
  const [detourFlags, setDetourFlags] = useState<DetourFlags | null>(null)
  const stateRef = useRef(state)
  stateRef.current = state
  const lastDetour = useRef<{ theme: ThemeId; region: string } | null>(null)
  if (state.detour) lastDetour.current = { theme: state.detour.theme, region: state.detour.region }
  const onDetour = detourOnScreen(state, shown, view, lastDetour.current)
  useEffect(() => {
    if (!onDetour) setDetourFlags(null)
  }, [onDetour])
  const onFlag = useCallback(
    (flag: FlagEvent) => {
      if (!jump || flag.severity !== 'critical') return
      const target = countyOf(flag.regionCode) ?? CITY_CODE
      const now = Date.now()
      const before = stateRef.current
      // a critical flag stays up long enough to be read, even in a fast rotation
      const next = jumpToFlag(before, target, now, Math.max(CRITICAL_DWELL_MIN_SEC, plan.dwellOverride ?? dashboards.alerts.dwellSec))
      const outcome = before.detour && now < before.detour.until ? 'during' : next === before ? 'ignored' : 'started'
      stateRef.current = next
      setState(next)
      setDetourFlags((card) => nextDetourFlags(card, flag, outcome))
    },
    [jump, plan.dwellOverride],
  )
  const flags = useFlags(socket, onFlag)
  useSafeReload(reloadDaily)

  const place = getRegion(shown.region)?.name ?? shown.region
  const notice = onDetour && detourFlags ? <FlagCard flags={detourFlags} /> : null
  const controls = (
    <>
      {plan.themes.map((theme, i) => (
        <button key={theme} type="button" className={theme === shown.theme ? 'active' : ''} onClick={() => setState({ index: i, detour: null })}>
          {themeTitles[theme]}
        </button>
      ))}
      {rotate && (
        <button type="button" onClick={() => setPaused((p) => !p)}>{paused ? '继续轮播' : '暂停轮播'}</button>
      )}
      <button type="button" onClick={() => void document.documentElement.requestFullscreen?.()}>全屏</button>
    </>
  )
  return (
    <div className="wall-root" data-theme={shown.theme} data-region={shown.region}>
      <WallFrame
        title={dashboard.title}
        place={place}
        asOf={room?.asOf ?? null}
        connection={connection}
        error={live.errorOf(shownKey)}
        kiosk={kiosk}
        fit={fit}
        screen={screen}
        controls={controls}
        notice={notice}
      >
        <ThemeBoard
          dashboard={dashboard}
          room={room}
          region={shown.region}
          connection={connection}
          flags={flags}
          pinned={onDetour ? detourFlags?.current ?? null : null}
          onSelectRegion={kiosk ? undefined : (code) => window.location.assign(`/region/${code}${token ? `?token=${encodeURIComponent(token)}` : ''}`)}
        />
      </WallFrame>
    </div>
  )
}
