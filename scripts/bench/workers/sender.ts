/**
 * An ingest feed in a process of its own: batches are built and serialized before the clock runs
 * (the JSON is the sender's work, not the server's), then posted to POST /api/ingest/payments.
 */
import { serveRequests } from '../children'
import { COUNTIES, paymentRecords } from '../paymentRecords'
import { sleep } from '../server'

export interface Sent {
  batchNo: number
  county: string | null
  markerMs: number
  rows: number
  sentAt: number
  ackAt: number
  status: number
}

async function post(url: string, token: string, body: string | Uint8Array<ArrayBuffer>): Promise<number> {
  const response = await fetch(`${url}/api/ingest/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  })
  const text = await response.text()
  if (response.status !== 200) console.error(`[sender] ingest answered ${response.status}: ${text.slice(0, 300)}`)
  return response.status
}

/**
 * Latency batches: one every `intervalMs` (open loop: the next does not wait for screens), each to
 * one county in turn and paid at its own marker second.
 */
async function markers(params: { url: string; token: string; runId: number; firstBatch: number; batches: number; rows: number; intervalMs: number }) {
  const sent: Sent[] = []
  let lastMarker = 0
  for (let i = 0; i < params.batches; i++) {
    const due = Date.now() + params.intervalMs
    // Distinct seconds: pay_time has whole seconds, and each batch needs a marker of its own.
    while (Math.floor(Date.now() / 1000) * 1000 <= lastMarker) await sleep(20)
    const markerMs = Math.floor(Date.now() / 1000) * 1000
    lastMarker = markerMs
    const batchNo = params.firstBatch + i
    const county = COUNTIES[batchNo % COUNTIES.length]
    const body = JSON.stringify({ batchId: `bench-${params.runId}-${batchNo}`, records: paymentRecords({ runId: params.runId, batchNo, rows: params.rows, county, payTimeMs: markerMs }) })
    const sentAt = Date.now()
    const status = await post(params.url, params.token, body)
    sent.push({ batchNo, county, markerMs, rows: params.rows, sentAt, ackAt: Date.now(), status })
    await sleep(Math.max(0, due - Date.now()))
  }
  return sent
}

/** Throughput, step 1: build and serialize `batches` bodies (not timed), so several senders can start together. */
let prepared: { url: string; token: string; rows: number; payTimeMs: number; bodies: Array<{ batchNo: number; body: Uint8Array<ArrayBuffer> }> } | undefined
async function prepare(params: { url: string; token: string; runId: number; firstBatch: number; batches: number; rows: number; payTimeMs: number }) {
  const bodies = Array.from({ length: params.batches }, (_, i) => {
    const batchNo = params.firstBatch + i
    const records = paymentRecords({ runId: params.runId, batchNo, rows: params.rows, payTimeMs: params.payTimeMs })
    // As UTF-8 bytes: half the memory of the string (a 10k-row body holds Chinese, so its string takes
    // two bytes a character), and a flood sender holds some 75 of them.
    return { batchNo, body: Buffer.from(JSON.stringify({ batchId: `bench-${params.runId}-${batchNo}`, records })) }
  })
  prepared = { ...params, bodies }
  return { bytes: bodies.reduce((sum, { body }) => sum + body.byteLength, 0) }
}

/** Throughput, step 2: post the prepared bodies back to back. */
async function send() {
  if (!prepared) throw new Error('prepare first')
  const { url, token, rows, payTimeMs, bodies } = prepared
  prepared = undefined
  const sent: Sent[] = []
  for (const { batchNo, body } of bodies) {
    const sentAt = Date.now()
    const status = await post(url, token, body)
    sent.push({ batchNo, county: null, markerMs: payTimeMs, rows, sentAt, ackAt: Date.now(), status })
  }
  return sent
}

serveRequests({ markers, prepare, send })
