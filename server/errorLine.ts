/**
 * The first line of an error's message, for logs, health and fault reports: chDB and ClickHouse
 * errors carry a stack trace and the whole statement after it, which no log line should repeat.
 * Cut to `maxLength` where the text goes somewhere with a width (health, start-up errors).
 */
export function firstLine(error: unknown, maxLength = Infinity): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0].slice(0, maxLength)
}
