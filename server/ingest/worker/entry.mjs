// An ingest worker thread. Plain JavaScript, so it starts the same under `node --import tsx`
// (npm start), under vitest and anywhere else: tsx's scoped loader brings in the TypeScript task.
import { parentPort } from 'node:worker_threads'
import { tsImport } from 'tsx/esm/api'

const { prepareTask } = await tsImport('./prepareTask.ts', import.meta.url)
const noPause = async () => {}

parentPort.on('message', async ({ id, request }) => {
  const result = await prepareTask(request, noPause)
  // The INSERT body goes back without a copy.
  parentPort.postMessage({ id, result }, result.ok ? [result.prepared.body.buffer] : [])
})
parentPort.postMessage({ ready: true })
