import { preparePool } from '../server/ingest/worker/pool'
const bytes = new TextEncoder().encode('{"batchId":"x","records":[{}]}')
const started = performance.now()
const answer = await preparePool.prepare('payments', { bytes, ndjsonBatchId: null }).catch((e) => e.message)
console.log('answer', String(answer).slice(0, 80), Math.round(performance.now() - started), 'ms')
await preparePool.close()
