/**
 * Where to go after signing in: only a path on this site. The target is parsed the way the browser
 * will parse it, not pattern-matched: `/\t/evil.example/` or `/\n/evil.example/` pass a "starts with
 * one slash" test, yet the URL parser drops tabs and newlines and reads `//evil.example/`, another
 * site. So the value is resolved against our own origin, refused unless it stays there, and handed
 * back re-serialised (path, query, fragment) with nothing the parser could read differently again.
 */
export function safeNext(next: string | null | undefined, origin: string): string {
  if (!next) return '/'
  let url: URL
  try {
    url = new URL(next, origin)
  } catch {
    return '/'
  }
  if (url.origin !== new URL(origin).origin) return '/'
  // `/.//evil.example` resolves to the path `//evil.example`, which the browser would read as a host.
  if (url.pathname.startsWith('//') || url.pathname.includes('\\')) return '/'
  return `${url.pathname}${url.search}${url.hash}`
}
