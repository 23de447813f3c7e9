/**
 * Sichuan's 21 cities (plain lon/lat GeoJSON for d3-geo; see data/PROVENANCE.md). A module of
 * its own: 788 KB raw / 197 KB gzip that no wall page draws, so nothing bundles it by accident
 * through ./boundaries.
 */
import sichuanData from './data/sichuan-cities.geo.json'
import type { BoundaryCollection } from './boundaries'

export const sichuanCities = sichuanData as unknown as BoundaryCollection
