import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // The embedded engine is a native addon: Next must load it from node_modules at run time, never
  // bundle it, so the custom server and any route handler share one chDB instance and data path.
  serverExternalPackages: ['chdb', '@clickhouse/client'],
  reactStrictMode: true,
  poweredByHeader: false,
}

export default nextConfig
