/**
 * Long loops over a batch (scan, parse, validate) call the returned function often; it gives the
 * event loop a turn once `budgetMs` of work has passed, so /api/health, the wall's sockets and
 * other senders are never held up by one large or hostile body for more than about that long.
 */
export function pacer(budgetMs = 20): () => Promise<void> {
  let sliceStart = performance.now()
  return async () => {
    if (performance.now() - sliceStart < budgetMs) return
    await new Promise<void>((resolve) => setImmediate(resolve))
    sliceStart = performance.now()
  }
}
