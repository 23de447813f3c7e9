import type { ReactNode } from 'react'
import './globals.css'

export const metadata = {
  title: '内江市“一卡通”监管大屏',
  description: '惠民惠农财政补贴资金“一卡通”实时监管',
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="zh-CN">
      <body>{children}</body>
    </html>
  )
}
