import net from 'node:net'

/**
 * A port nobody listens on right now, for a test that must name its port before the server starts
 * (a public address in its configuration). Another process can take it before the server listens,
 * so every other test starts on PORT 0 and reads the port the system gave it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
