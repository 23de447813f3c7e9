import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // The embedded engine is a native addon: Next must load it from node_modules at run time, never
  // bundle it, so the custom server and any route handler share one chDB instance and data path.
  serverExternalPackages: ['chdb', '@clickhouse/client'],
  reactStrictMode: true,
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          // pages may be framed by our own /wall/tiles only, never by another site
          { key: 'X-Frame-Options', value: 'SAMEORIGIN' },
          { key: 'Content-Security-Policy', value: "frame-ancestors 'self'" },
          // wall addresses carry a display token in the query: never hand it on as a referrer
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
        ],
      },
    ]
  },
}

export default nextConfig
