/** Signs in through POST /api/auth/login; returns the session cookie ("name=value"). */
export async function signIn(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`)
  const cookie = response.headers.get('set-cookie')
  if (!cookie) throw new Error('sign-in set no cookie')
  return cookie.split(';')[0]
}
