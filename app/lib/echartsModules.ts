/**
 * ECharts as the pages use it: the core, the six chart kinds the themes draw, grid, legend,
 * tooltip and mark lines (序时进度 across the execution bars), on canvas. Never the full `echarts` build (about 1 MB minified). Loaded on first use by
 * app/components/EChart.tsx (its own chunk, ~190 KB gzip), so it is not first-load JS of any page.
 */
import * as echarts from 'echarts/core'
import { BarChart, FunnelChart, GaugeChart, LineChart, PieChart, TreemapChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, LineChart, PieChart, GaugeChart, FunnelChart, TreemapChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, CanvasRenderer])

export const init = echarts.init
export type ECharts = echarts.ECharts
