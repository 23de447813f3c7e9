/**
 * ECharts as the pages use it: the core, the six chart kinds the themes draw, grid, legend,
 * tooltip, mark lines (序时进度 across the execution bars) and label layout, on canvas. Never the
 * full `echarts` build (about 1 MB minified). Loaded on first use by app/components/EChart.tsx (its
 * own chunk, ~190 KB gzip), so it is not first-load JS of any page.
 */
import * as echarts from 'echarts/core'
import { BarChart, FunnelChart, GaugeChart, LineChart, PieChart, TreemapChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components'
import { LabelLayout } from 'echarts/features'
import { CanvasRenderer } from 'echarts/renderers'

// LabelLayout by name: echarts/core registers it itself, but a bundler drops that (echarts'
// sideEffects list), and the value labels kept off 序时进度 need it
echarts.use([BarChart, LineChart, PieChart, GaugeChart, FunnelChart, TreemapChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, LabelLayout, CanvasRenderer])

export const init = echarts.init
export type ECharts = echarts.ECharts
