import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../../server/testing/tempDb'
import { startSmtpReceiver, type SmtpReceiver } from '../../server/notify/testing/receivers'
import { ARTIFACTS, browserAvailable, ingestPayments, requireProductionBuild, startServer, type Running } from './harness'
import { freePort } from '../../server/testing/freePort'

/**
 * The daily briefing email of a county leader carries the overview wall of that county, rendered
 * by the real pages in the system Chromium, as an inline PNG; the mail goes to a real local SMTP server.
 */

describe.skipIf(!browserAvailable)('daily briefing with the overview picture', () => {
  const saved = { ...process.env }
  let server: Running | undefined
  let smtp: SmtpReceiver | undefined
  afterAll(async () => {
    await server?.close()
    await smtp?.close()
    process.env = saved
  })

  it("attaches a 1920×1080 PNG of the county's overview wall to the briefing email", async () => {
    requireProductionBuild()
    smtp = await startSmtpReceiver()
    const port = await freePort()
    const adminPassword = 'briefing-admin-password'
    Object.assign(process.env, {
      ADMIN_PASSWORD: adminPassword,
      NOTIFY_CHANNELS: JSON.stringify({ channels: [{ id: 'zz-mail', type: 'email', scope: '511025', smtp: smtp.url, from: 'ykt@example.gov.cn', to: ['leader@example.gov.cn'] }] }),
      NOTIFY_BRIEFING_PNG: 'on',
      NOTIFY_PUBLIC_URL: `http://127.0.0.1:${port}`,
      NOTIFY_POLL_MS: '100',
    })
    server = await startServer(makeTempDir('ykt-briefing-'), port)
    await ingestPayments(server.app, 40, 0)
    const login = await fetch(`${server.app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: adminPassword }) })
    expect(login.status).toBe(200)
    // a state change signed by the session cookie must come from our own origin
    const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0], 'content-type': 'application/json', origin: server.app.url }
    const subscribed = await fetch(`${server.app.url}/api/admin/notify/subscriptions`, { method: 'POST', headers, body: JSON.stringify({ channel: 'zz-mail', scope: '511025', kinds: ['briefing'] }) })
    expect(subscribed.status).toBe(201)
    const queued = await (await fetch(`${server.app.url}/api/admin/notify/briefing`, { method: 'POST', headers, body: '{}' })).json()
    expect(queued).toEqual({ queued: 1 })

    const started = Date.now()
    while (smtp.mails.length === 0 && Date.now() - started < 120_000) await new Promise((resolve) => setTimeout(resolve, 250))
    expect(smtp.mails).toHaveLength(1)
    const raw = smtp.mails[0].raw
    expect(raw).toContain('X-Ykt-Idempotency-Key: briefing:')
    expect(raw).toContain('cid:overview')
    const part = /Content-Type: image\/png[\s\S]*?\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/.exec(raw)
    expect(part, 'a PNG part').not.toBeNull()
    const png = Buffer.from(part![1].replace(/\s/g, ''), 'base64')
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1920, 1080]) // IHDR width, height
    expect(png.length).toBeGreaterThan(50_000) // a drawn wall, not a blank page
    fs.mkdirSync(ARTIFACTS, { recursive: true })
    fs.writeFileSync(path.join(ARTIFACTS, 'briefing-overview-511025.png'), png)
  }, 300_000)
})
