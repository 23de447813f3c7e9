'use client'

import { useEffect, useMemo, useRef, useState } from 'react'
import { lazyModule, useLazyModule } from '../lib/lazyModule'
import { textPx } from '../lib/chartOptions'
import { formatValueText } from '../lib/format'
import { placeMapLabels } from '../lib/mapLabels'
import { palette } from '../lib/palette'
import { useDesignScale } from './WallFrame'

/** Fetched when a map first mounts: themes and pages without a map never download it. */
const countyGeo = lazyModule(() => import('../lib/countyGeo'))

export interface MapRow {
  code: string
  name: string
  value: number
}

export interface MapMarker {
  id: string
  regionCode: string
  severity: 'info' | 'warn' | 'critical'
}

/**
 * (The font is named on the SVG itself: an exported map is drawn outside the page's CSS and would
 * otherwise fall back to a serif font.)
 *
 * The city's 5 counties as SVG paths (d3-geo, our own boundaries), coloured by value (a
 * choropleth joined on region code), with a legend and pulsing markers for new flags. The SVG is
 * laid out in real screen pixels, so lines and labels stay sharp on any wall.
 */
export function RegionMap({ rows, unit, focus, markers = [], pinned, onSelect, svgRef }: {
  rows: MapRow[]
  unit?: string
  /** a county to highlight (drill-down); others are dimmed */
  focus?: string
  markers?: MapMarker[]
  /** the region of a detour's flag: a large pulsing ring at its place for the whole detour */
  pinned?: string
  onSelect?: (code: string) => void
  svgRef?: (svg: SVGSVGElement | null) => void
}) {
  const box = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState<{ width: number; height: number } | null>(null)
  useEffect(() => {
    const el = box.current!
    const observer = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }))
    observer.observe(el)
    return () => observer.disconnect()
  }, [])

  const geo = useLazyModule(countyGeo)
  const values = useMemo(() => new Map(rows.map((r) => [r.code, r.value])), [rows])
  const [min, max] = useMemo(() => {
    const list = rows.filter((r) => geo?.countyBoundaries.features.some((f) => f.properties.code === r.code)).map((r) => r.value)
    return list.length ? [Math.min(...list), Math.max(...list)] : [0, 0]
  }, [rows, geo])

  // labels follow the wall's design scale (not the box), so they match the other panels' text
  const u = useDesignScale()
  const drawn = useMemo(() => {
    if (!geo || !size || size.width < 10 || size.height < 10) return null
    const { centroidOf, countyBoundaries, fitProjection, geoPath } = geo
    const legendSpace = Math.min(60, size.height * 0.12)
    const projection = fitProjection(size.width * 0.94, size.height - legendSpace)
    const [tx, ty] = projection.translate()
    projection.translate([tx + size.width * 0.03, ty + 4])
    const path = geoPath(projection)
    const counties = countyBoundaries.features.map((feature) => ({
      code: feature.properties.code,
      name: feature.properties.name,
      d: path(feature) ?? '',
      seat: projection(feature.properties.seat)!,
      area: path.area(feature),
    }))
    return {
      counties,
      labels: new Map(placeMapLabels(
        counties.map((c) => ({ code: c.code, anchor: c.seat, width: 96 * u, height: 44 * u, area: c.area })),
        size,
      ).map((label) => [label.code, label])),
      project: (code: string) => {
        const c = centroidOf(code)
        return c ? projection(c) : null
      },
    }
  }, [geo, size, u])
  const fill = (code: string) => {
    const value = values.get(code)
    if (value === undefined) return '#10284d'
    // one value everywhere: all zero reads as nothing (darkest), anything else as the top
    const t = max > min ? (value - min) / (max - min) : max > 0 ? 1 : 0
    return palette.ramp[Math.min(palette.ramp.length - 1, Math.floor(t * palette.ramp.length))]
  }

  return (
    // 'ready' once the counties are drawn (boundaries fetched and the box measured), not before:
    // screenshots and exports wait on it
    <div ref={box} className="region-map" data-map={drawn ? 'ready' : 'loading'}>
      {drawn && size && (
        <svg ref={svgRef} width={size.width} height={size.height} viewBox={`0 0 ${size.width} ${size.height}`} xmlns="http://www.w3.org/2000/svg" role="img" aria-label="内江市各区县" fontFamily={palette.font}>
          <defs>
            <linearGradient id="map-legend" x1="0" x2="1" y1="0" y2="0">
              {palette.ramp.map((color, i) => (
                <stop key={color} offset={i / (palette.ramp.length - 1)} stopColor={color} />
              ))}
            </linearGradient>
            <filter id="map-glow" x="-20%" y="-20%" width="140%" height="140%">
              <feGaussianBlur stdDeviation={6 * u} />
            </filter>
          </defs>
          <g filter="url(#map-glow)" opacity={0.55}>
            {drawn.counties.map((c) => (
              <path key={c.code} d={c.d} fill="#1a6fd0" />
            ))}
          </g>
          {drawn.counties.map((c) => (
            <path
              key={c.code}
              data-county={c.code}
              d={c.d}
              fill={fill(c.code)}
              stroke={focus === c.code ? palette.gold : '#7fd8ff'}
              strokeWidth={(focus === c.code ? 3 : 1.2) * u}
              opacity={focus && focus !== c.code ? 0.45 : 1}
              className={onSelect ? 'map-county clickable' : 'map-county'}
              onClick={onSelect ? () => onSelect(c.code) : undefined}
            >
              <title>{`${c.name} ${values.has(c.code) ? formatValueText(values.get(c.code)!, unit) : ''}`}</title>
            </path>
          ))}
          {/* under the labels, so a burst of flags never hides a county's name and value */}
          {shownMarkers(markers).map((m, i) => {
            const at = drawn.project(m.regionCode)
            if (!at) return null
            // spread markers of one county around its centre so several flags stay visible
            const angle = (hash(m.id) % 360) * (Math.PI / 180)
            const spread = (10 + (i % 4) * 8) * u
            const color = m.severity === 'critical' ? palette.critical : m.severity === 'warn' ? palette.warn : palette.accent
            return (
              <g key={m.id} transform={`translate(${at[0] + Math.cos(angle) * spread},${at[1] + Math.sin(angle) * spread})`} className="map-marker" data-severity={m.severity}>
                <circle r={7 * u} fill={color} className="pulse" />
                <circle r={5 * u} fill={color} stroke="#fff" strokeWidth={1.2 * u} />
              </g>
            )
          })}
          {pinned && drawn.project(pinned) && (
            <g transform={`translate(${drawn.project(pinned)![0]},${drawn.project(pinned)![1]})`} className="map-pinned" data-region={pinned} pointerEvents="none">
              <circle r={12 * u} fill="none" stroke={palette.critical} strokeWidth={4 * u} className="pulse" />
              <circle r={12 * u} fill="none" stroke={palette.critical} strokeWidth={3 * u} className="pulse late" />
              <circle r={7 * u} fill={palette.critical} stroke="#fff" strokeWidth={2 * u} />
            </g>
          )}
          {drawn.counties.map((c) => {
            const label = drawn.labels.get(c.code)!
            return label.moved ? (
              <g key={c.code} pointerEvents="none" className="map-leader">
                <line x1={c.seat[0]} y1={c.seat[1]} x2={label.at[0]} y2={label.at[1]} stroke="#7fd8ff" strokeWidth={1.2 * u} opacity={0.8} />
                <circle cx={c.seat[0]} cy={c.seat[1]} r={3 * u} fill="#ffffff" />
              </g>
            ) : null
          })}
          {drawn.counties.map((c) => (
            <g key={c.code} data-label={c.code} transform={`translate(${drawn.labels.get(c.code)!.at[0]},${drawn.labels.get(c.code)!.at[1]})`} pointerEvents="none">
              <text textAnchor="middle" y={-4 * u} fontSize={textPx(17, u)} fontWeight="bold" fill="#ffffff" stroke="#04101f" strokeWidth={3 * u} paintOrder="stroke">
                {c.name}
              </text>
              {values.has(c.code) && (
                <text textAnchor="middle" y={18 * u} fontSize={textPx(15, u)} fill={palette.gold} stroke="#04101f" strokeWidth={3 * u} paintOrder="stroke">
                  {formatValueText(values.get(c.code)!, unit)}
                </text>
              )}
            </g>
          ))}
          {rows.length > 0 && (
            <g transform={`translate(${14 * u},${size.height - 30 * u})`} className="map-legend">
              <rect width={180 * u} height={10 * u} fill="url(#map-legend)" rx={2 * u} />
              <text y={26 * u} fontSize={textPx(13, u)} fill={palette.muted}>{formatValueText(min, unit)}</text>
              <text x={180 * u} y={26 * u} fontSize={textPx(13, u)} fill={palette.muted} textAnchor="end">{formatValueText(max, unit)}</text>
            </g>
          )}
        </svg>
      )}
    </div>
  )
}

/** The newest few per county: a burst of flags reads as a cluster, not a blanket over the map. */
const MARKERS_PER_COUNTY = 6

function shownMarkers(markers: MapMarker[]): MapMarker[] {
  const perCounty = new Map<string, number>()
  // markers arrive newest first
  return markers.filter((m) => {
    const county = m.regionCode.slice(0, 6)
    const n = perCounty.get(county) ?? 0
    perCounty.set(county, n + 1)
    return n < MARKERS_PER_COUNTY
  })
}

function hash(text: string): number {
  let h = 0
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0
  return Math.abs(h)
}
