/**
 * What the county map draws with: d3-geo and Neijiang's county boundaries (~40 KB gzip together).
 * Imported only by the lazy loader in app/components/RegionMap.tsx, so pages and themes without
 * a map never fetch it.
 */
export { geoPath } from 'd3-geo'
export { centroidOf, countyBoundaries, fitProjection } from '../../geo/boundaries'
