/** Wall colours: deep navy ground, high-contrast numerals, one accent per meaning. */
export const palette = {
  font: "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
  ground: '#050d1f',
  panel: '#0a1a36',
  border: '#1c3f73',
  text: '#e8f1ff',
  muted: '#8ea6c8',
  axis: '#35527e',
  grid: '#16305a',
  accent: '#37d4ff',
  gold: '#ffc94d',
  warn: '#ffab2e',
  critical: '#ff4d67',
  ok: '#3ee08f',
  series: ['#37d4ff', '#ffc94d', '#3ee08f', '#a98bff', '#ff8a5b', '#5b8cff', '#ff6fb1', '#7ee0d0', '#c7d36b', '#9fb3d1'],
  /** Categories whose colour carries meaning keep it in every chart (red is never 'just a series'). */
  named: {
    重大: '#ff4d67', 较大: '#ffab2e', 一般: '#37d4ff',
    成功: '#3ee08f', 失败: '#ff4d67', 退回: '#ffab2e', 在途: '#37d4ff',
    已销号: '#3ee08f', 核实无问题: '#7ee0d0', 整改中: '#ffc94d', 待核实: '#37d4ff', 督办: '#ff4d67',
  } as Record<string, string>,
  /** choropleth ramp, low → high */
  ramp: ['#0f2c57', '#12467f', '#1766a8', '#1f8fd0', '#37d4ff'],
} as const
