'use client'

import { useEffect, useState, type FormEvent } from 'react'
import styles from './login.module.css'
import { safeNext } from './safeNext'

/**
 * 登录页. The session cookie is HttpOnly and set by the server; this page only posts the form and
 * then goes where the user was heading (`?next=`), which must be a path on this site.
 */
export default function LoginPage() {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const [signedInAs, setSignedInAs] = useState<string | null>(null)

  useEffect(() => {
    fetch('/api/auth/me', { cache: 'no-store' })
      .then((response) => (response.ok ? response.json() : null))
      .then((body: { user?: { name: string } } | null) => setSignedInAs(body?.user?.name ?? null))
      .catch(() => setSignedInAs(null))
  }, [])

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (busy) return
    setBusy(true)
    setError('')
    try {
      const response = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: username.trim(), password }),
      })
      if (response.ok) {
        window.location.assign(safeNext(new URLSearchParams(window.location.search).get('next'), window.location.origin))
        return
      }
      const body = (await response.json().catch(() => ({}))) as { error?: string }
      setError(response.status === 429 || response.status === 401 ? (body.error ?? '登录失败') : `登录失败（${response.status}）`)
      setPassword('')
    } catch {
      setError('无法连接服务器，请检查网络后重试')
    } finally {
      setBusy(false)
    }
  }

  async function signOut() {
    await fetch('/api/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => {})
    setSignedInAs(null)
  }

  return (
    <main className={styles.ground}>
      <form className={styles.card} onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title" className={styles.title}>
          内江市惠民惠农财政补贴资金
          <span className={styles.subtitle}>“一卡通”监管平台</span>
        </h1>
        {signedInAs && (
          <p className={styles.notice}>
            当前已登录：{signedInAs}
            <button type="button" className={styles.link} onClick={signOut}>退出登录</button>
          </p>
        )}
        <label className={styles.field}>
          <span>用户名</span>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required maxLength={64} autoFocus />
        </label>
        <label className={styles.field}>
          <span>密码</span>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required maxLength={200} />
        </label>
        <p className={styles.error} role="alert" aria-live="assertive">{error}</p>
        <button type="submit" className={styles.submit} disabled={busy || !username || !password}>
          {busy ? '登录中…' : '登 录'}
        </button>
        <p className={styles.footnote}>个人信息已脱敏展示；所有查看、导出与查明操作均留痕审计。</p>
      </form>
    </main>
  )
}
