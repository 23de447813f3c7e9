import type { Server } from 'socket.io'
import type { Auth } from './principal'
import { onRevocation } from './principalCache'

/**
 * Ends open sockets whose credential no longer holds as soon as a revocation is made in this
 * process (logout, token revoke, disable, password or grant change): the live hub's own sweep runs
 * only every heartbeat (5 s), and a revoked screen kept streaming until then. The principal a
 * revocation names (the live hub keeps it as `socket.data.principal`) is disconnected at once;
 * then every open socket is re-identified (the principal cache was just cleared, so the answer is
 * fresh) and those that no longer identify are dropped. Their reconnect is refused at handshake.
 * Returns the function that stops watching.
 */
export function dropSocketsOnRevocation(io: Pick<Server, 'sockets'>, auth: Auth): () => void {
  let running: Promise<void> | undefined
  let again = false

  async function sweep(): Promise<void> {
    do {
      again = false
      for (const socket of [...io.sockets.sockets.values()]) {
        const principal = await auth.identifySocket(socket.handshake).catch(() => undefined)
        if (principal === null) socket.disconnect(true)
      }
    } while (again)
  }

  return onRevocation((principalId) => {
    // The principal named by the revocation goes at once, without waiting for the database
    // (chDB answers one query at a time, and a tick may be computing); the sweep catches the rest.
    if (principalId) {
      for (const socket of io.sockets.sockets.values()) {
        if ((socket.data as { principal?: { id?: string } }).principal?.id === principalId) socket.disconnect(true)
      }
    }
    // A revocation during a sweep starts one more pass, so none is missed.
    if (running) {
      again = true
      return
    }
    running = sweep().finally(() => (running = undefined))
  })
}
