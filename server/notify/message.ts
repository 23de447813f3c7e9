import type { OutgoingMessage } from './channels/channel'
import { KIND_LABELS, SEVERITY_LABELS, SEVERITY_RANK, type NotifyEvent } from './types'
import { beijingDateTime } from '../beijingTime'

/** Events listed one by one in a digest; the rest are counted. */
const DIGEST_LISTED = 10

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function shanghaiTime(iso: string): string {
  const at = new Date(iso)
  return Number.isNaN(at.getTime()) ? iso : beijingDateTime(at).slice(0, 16)
}

function headline(event: NotifyEvent): string {
  return event.kind === 'briefing' ? event.title : `【${SEVERITY_LABELS[event.severity]}·${KIND_LABELS[event.kind]}】${event.regionName} ${event.title}`
}

/** One event: robots get markdown with the link, email a small HTML page with the figures. */
export function singleMessage(key: string, event: NotifyEvent, publicUrl: string): OutgoingMessage {
  const link = publicUrl + event.link
  const figures = event.figures ?? []
  const text = [headline(event), event.text, ...figures.map((f) => `${f.label}：${f.value}`), `时间：${shanghaiTime(event.occurredAt)}`, `查看：${link}`, `编号：${key}`].join('\n')
  const markdown = [
    `#### ${headline(event)}`,
    event.text,
    ...figures.map((f) => `- ${f.label}：**${f.value}**`),
    `> ${shanghaiTime(event.occurredAt)} · [查看](${link})`,
    `<font color="comment">编号 ${key}</font>`,
  ].join('\n\n')
  const html = `<h3>${escapeHtml(headline(event))}</h3><p>${escapeHtml(event.text).replace(/\n/g, '<br>')}</p>`
    + (figures.length ? `<table>${figures.map((f) => `<tr><td>${escapeHtml(f.label)}</td><td><b>${escapeHtml(f.value)}</b></td></tr>`).join('')}</table>` : '')
    + `<p><a href="${escapeHtml(link)}">在监管平台查看</a> · ${escapeHtml(shanghaiTime(event.occurredAt))}</p><p style="color:#888">编号 ${escapeHtml(key)}</p>`
  return { key, digest: false, title: headline(event), text, markdown, html, events: [event] }
}

/**
 * A storm (the first full pass over history, a bad batch) becomes one message per channel per
 * interval: counts by kind and severity, the most severe few listed, a link to the alerts page.
 */
export function digestMessage(key: string, events: NotifyEvent[], publicUrl: string): OutgoingMessage {
  const sorted = [...events].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.occurredAt.localeCompare(a.occurredAt))
  const counts = new Map<string, number>()
  for (const event of events) {
    const label = `${SEVERITY_LABELS[event.severity]}·${KIND_LABELS[event.kind]}`
    counts.set(label, (counts.get(label) ?? 0) + 1)
  }
  const summary = [...counts].map(([label, n]) => `${label} ${n} 条`).join('，')
  const listed = sorted.slice(0, DIGEST_LISTED)
  const more = events.length - listed.length
  const title = `【汇总】${events.length} 条新通知：${summary}`
  const line = (e: NotifyEvent) => `${SEVERITY_LABELS[e.severity]} ${e.regionName} ${e.title}：${e.text}`
  const alerts = `${publicUrl}/review/alerts`
  const text = [title, ...listed.map((e) => `- ${line(e)} ${publicUrl}${e.link}`), ...(more > 0 ? [`另有 ${more} 条`] : []), `全部：${alerts}`, `编号：${key}`].join('\n')
  const markdown = [`#### ${title}`, ...listed.map((e) => `- ${line(e)} [查看](${publicUrl}${e.link})`), ...(more > 0 ? [`另有 ${more} 条，[在监管平台查看全部](${alerts})`] : []), `<font color="comment">编号 ${key}</font>`].join('\n\n')
  const html = `<h3>${escapeHtml(title)}</h3><ul>${listed.map((e) => `<li>${escapeHtml(line(e))} <a href="${escapeHtml(publicUrl + e.link)}">查看</a></li>`).join('')}</ul>`
    + (more > 0 ? `<p>另有 ${more} 条。</p>` : '') + `<p><a href="${escapeHtml(alerts)}">在监管平台查看全部</a></p><p style="color:#888">编号 ${escapeHtml(key)}</p>`
  return { key, digest: true, title, text, markdown, html, events }
}
