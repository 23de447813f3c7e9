import { checkDeploymentSecrets, loadConfig, ConfigError } from './config'
import { DbStartError } from './db/client'
import { MigrationError } from './db/migrate'
import { startApp } from './app'
import { prepareDemo, startDemoFeed } from './demo'

/**
 * `npm start`: the wall on one port. Configuration and start-up faults end the process with one
 * line saying what is wrong.
 */
async function main(): Promise<void> {
  const config = loadConfig()
  checkDeploymentSecrets(config)
  const dev = process.argv.includes('--dev')
  const app = await startApp(config, { withPages: !process.argv.includes('--api-only'), dev, prepare: prepareDemo })
  const stopFeed = startDemoFeed(app)
  console.log(`[ykt] wall on http://localhost:${new URL(app.url).port} (engine ${app.ctx.db.engine}, database ${app.ctx.db.database})`)
  const stop = async (signal: string) => {
    console.log(`[ykt] ${signal}: shutting down`)
    stopFeed()
    await app.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DbStartError || error instanceof MigrationError
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
  console.error(`[ykt] cannot start: ${known ? message : `unexpected error: ${message}`}`)
  process.exit(1)
})
