export { startLiveHub, type LiveHub, type LiveHubOptions, type LiveStats } from './hub'
export { validateDashboards, DashboardConfigError } from './validateDashboards'
