import Link from 'next/link'
import { themeTitles, THEME_IDS } from '../dashboards/types'
import { CITY_CODE } from '../geo/regions'

/** Start page: where each audience goes. */
export default function Home() {
  return (
    <main className="home">
      <h1>内江市惠民惠农财政补贴资金“一卡通”监管</h1>
      <section>
        <h2>指挥中心大屏</h2>
        <p>
          <Link href="/wall">轮播全部专题</Link> · <Link href="/wall?kiosk">无人值守模式（kiosk）</Link>
        </p>
        <p>{THEME_IDS.map((id) => <Link key={id} href={`/wall/${id}`}>{themeTitles[id]}</Link>)}</p>
      </section>
      <section>
        <h2>专题研判</h2>
        <p>{THEME_IDS.map((id) => <Link key={id} href={`/review/${id}`}>{themeTitles[id]}</Link>)}</p>
      </section>
      <section>
        <h2>区域穿透</h2>
        <p>
          <Link href={`/region/${CITY_CODE}`}>内江市 → 区县 → 乡镇 → 村（社区） → 发放明细</Link>
        </p>
      </section>
    </main>
  )
}
