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
  /** choropleth ramp, low → high */
  ramp: ['#0f2c57', '#12467f', '#1766a8', '#1f8fd0', '#37d4ff'],
} as const
