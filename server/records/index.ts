export { registerRecordRoutes, RECORD_ROLES, REVEAL_ROLES } from './routes'
