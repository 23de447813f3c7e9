import type { Server } from 'socket.io'
import type { Auth } from './principal'
import { onRevocation } from './principalCache'

/**
 * Ends open sockets whose credential no longer holds as soon as a revocation is made in this
 * process (logout, token revoke, disable, password or grant change): the live hub's own sweep runs
 * only every heartbeat (5 s), and a revoked screen kept streaming until then. Each revocation
 * re-identifies every open socket once (the principal cache was just cleared, so the answer is
 * fresh) and disconnects those that no longer identify; their reconnect is refused at handshake.
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

  return onRevocation(() => {
    // A revocation during a sweep starts one more pass, so none is missed.
    if (running) {
      again = true
      return
    }
    running = sweep().finally(() => (running = undefined))
  })
}
