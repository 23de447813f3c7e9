import type { IncomingMessage } from 'node:http'
import { z } from 'zod'
import { HttpError, readBody } from '../http/router'

/** Reads a small JSON body and validates it; 400 with the first problem otherwise. */
export async function readJsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>, limit = 8 * 1024): Promise<T> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (type !== 'application/json') throw new HttpError(415, '请求体须为 application/json')
  let value: unknown
  try {
    value = JSON.parse((await readBody(req, limit)).toString('utf8'))
  } catch (error) {
    if (error instanceof HttpError) throw error
    throw new HttpError(400, '请求体不是合法的 JSON')
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new HttpError(400, `参数 ${issue.path.join('.') || '(body)'} 无效: ${issue.message}`)
  }
  return parsed.data
}
