/**
 * geo: Neijiang's region hierarchy and map boundaries.
 * Import from 'geo/regions' alone when no map is needed: it avoids bundling the ~1 MB of boundaries.
 */
export {
  CITY_CODE,
  childrenOf,
  countyOf,
  getRegion,
  isKnownRegion,
  isWithin,
  pathToRoot,
  regionsAtLevel,
  type Region,
  type RegionLevel,
} from './regions'
export {
  centroidOf,
  countyBoundaries,
  fitProjection,
  type BoundaryCollection,
  type BoundaryProperties,
} from './boundaries'
export { sichuanCities } from './sichuanBoundaries'
