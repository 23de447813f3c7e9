'use client'

import { useMemo } from 'react'
import { filtersNotFollowed, portraitGrid, type Dashboard, type FlagEvent, type ReviewFilterKind } from '../../dashboards/types'
import type { RoomState } from '../lib/roomState'
import { PanelView } from './PanelView'
import { useDesignScale, useOrientation } from './WallFrame'
import { useNow, type Connection } from './useLive'

/** A theme's panels on the grid, each with its data, freshness and the live flags. */
export function ThemeBoard({ dashboard, room, region, connection, flags, pinned, onSelectRegion, exportable, exportContext, overrides, activeFilters = {}, unfilteredPanels = [], filteredPending = false }: {
  dashboard: Dashboard
  room: RoomState | null
  region: string
  connection: Connection
  flags: Array<FlagEvent & { receivedAt: number }>
  /** the flag of a critical-flag detour: pinned on the ticker, pulsing on the map */
  pinned?: FlagEvent | null
  onSelectRegion?: (code: string) => void
  exportable?: boolean
  exportContext?: import('../lib/exportMeta').ExportContext
  /** panel data fetched with filters (review page), replacing the live data of those panels */
  overrides?: Record<string, import('../../dashboards/types').PanelData>
  /** review filters in force (review page); panels that do not follow one say so */
  activeFilters?: Partial<Record<ReviewFilterKind, string>>
  /** panels whose filtered query failed: every active filter counts as not followed */
  unfilteredPanels?: string[]
  /** the filtered answers are still coming: panels that follow a filter wait instead of showing live numbers */
  filteredPending?: boolean
}) {
  const u = useDesignScale()
  const now = useNow(1000)
  const orientation = useOrientation()
  const portrait = useMemo(() => (orientation === 'portrait' ? portraitGrid(dashboard) : null), [orientation, dashboard])
  return (
    <>
      {dashboard.panels.map((panel) => {
        const override = overrides?.[panel.id]
        const notFollowed = unfilteredPanels.includes(panel.id) ? filtersNotFollowed({ filters: [] }, activeFilters) : filtersNotFollowed(panel, activeFilters)
        // the active filters this panel shows its numbers under (its filtered answer is in)
        const filteredBy = override ? panel.filters.filter((kind) => activeFilters[kind]) : []
        const waitsForFilter = filteredPending && panel.filters.some((kind) => activeFilters[kind])
        const data = override ?? (waitsForFilter ? undefined : room?.panels[panel.id])
        const confirmed = room?.confirmedAt[panel.id] ?? 0
        const stale = !override && (connection !== 'live' || !data || now - confirmed > panel.staleAfterSec * 1000)
        return (
          <PanelView
            key={`${dashboard.id}-${panel.id}`}
            panel={panel}
            grid={portrait?.[panel.id]}
            data={data}
            region={region}
            asOf={room?.asOf ?? null}
            stale={stale && Boolean(data)}
            u={u}
            flags={flags}
            pinned={pinned}
            since={room?.changedAt[panel.id] ?? 0}
            onSelectRegion={onSelectRegion}
            exportable={exportable}
            exportContext={exportContext}
            activeFilters={activeFilters}
            notFollowed={notFollowed}
            filteredBy={filteredBy}
          />
        )
      })}
    </>
  )
}
