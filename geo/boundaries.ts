/**
 * Boundaries for maps: Neijiang's 5 counties, plain lon/lat GeoJSON wound for d3-geo (exterior
 * rings clockwise). See data/PROVENANCE.md. Sichuan's 21 cities are in ./sichuanBoundaries (197 KB
 * gzip: kept out of this module so a page drawing the city map never downloads them).
 * No town or village polygons exist: below county level use the nearest ancestor.
 */
import { geoCentroid, geoMercator, type GeoProjection } from 'd3-geo'
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson'
import countiesData from './data/neijiang-counties.geo.json'
import { CITY_CODE, pathToRoot } from './regions'

export interface BoundaryProperties {
  /** 6-digit GB/T 2260 code */
  code: string
  name: string
  /** seat of government [lon, lat] (the source's `cp`) */
  seat: [number, number]
}

export type BoundaryCollection = FeatureCollection<Polygon | MultiPolygon, BoundaryProperties>

export const countyBoundaries = countiesData as unknown as BoundaryCollection

const centroids = new Map<string, [number, number]>()

/**
 * County: d3 spherical centroid of its polygon; city: centroid of all counties;
 * town/village: its county's. Undefined for unknown codes.
 */
export function centroidOf(code: string): [number, number] | undefined {
  for (const region of pathToRoot(code)) {
    const cached = centroids.get(region.code)
    if (cached) return [cached[0], cached[1]]
    let c: [number, number] | undefined
    if (region.code === CITY_CODE) c = geoCentroid(countyBoundaries)
    else {
      const feature = countyBoundaries.features.find((f) => f.properties.code === region.code)
      if (feature) c = geoCentroid(feature)
    }
    if (c) {
      centroids.set(region.code, c)
      return [c[0], c[1]]
    }
  }
  return undefined
}

/** A d3 Mercator projection fitted to a width × height box (default: the county boundaries). */
export function fitProjection(
  width: number,
  height: number,
  features: FeatureCollection = countyBoundaries,
): GeoProjection {
  return geoMercator().fitSize([width, height], features)
}
