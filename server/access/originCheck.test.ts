import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config'
import { originProblem } from './originCheck'

describe('Origin of cookie-authorised requests', () => {
  it('defaults to the origin the request addressed: another port of the same host is foreign', () => {
    const headers = { host: '10.1.2.3:3000' }
    expect(originProblem({ ...headers, origin: 'http://10.1.2.3:3000' }, undefined)).toBeNull()
    expect(originProblem({ ...headers, origin: 'http://10.1.2.3:8080' }, undefined)).toMatch(/not allowed/)
    expect(originProblem({ ...headers, origin: 'null' }, undefined)).toMatch(/not allowed/)
    expect(originProblem(headers, undefined)).toMatch(/without Origin/)
  })

  it('takes PUBLIC_ORIGIN when set, whatever Host the proxy passes on', () => {
    const config = loadConfig({ PUBLIC_ORIGIN: 'https://Wall.Example.gov.cn/, https://backup.example.gov.cn:8443' })
    expect(config.PUBLIC_ORIGIN).toEqual(['https://wall.example.gov.cn', 'https://backup.example.gov.cn:8443'])
    const behindProxy = { host: 'upstream:3000' }
    expect(originProblem({ ...behindProxy, origin: 'https://wall.example.gov.cn' }, config.PUBLIC_ORIGIN)).toBeNull()
    expect(originProblem({ ...behindProxy, origin: 'https://backup.example.gov.cn:8443' }, config.PUBLIC_ORIGIN)).toBeNull()
    expect(originProblem({ ...behindProxy, origin: 'http://upstream:3000' }, config.PUBLIC_ORIGIN)).toMatch(/not allowed/)
  })

  it('refuses a PUBLIC_ORIGIN that is not an origin, naming the variable', () => {
    expect(() => loadConfig({ PUBLIC_ORIGIN: 'wall.example.gov.cn' })).toThrow(/PUBLIC_ORIGIN/)
    expect(() => loadConfig({ PUBLIC_ORIGIN: 'https://wall.example.gov.cn/login' })).toThrow(/PUBLIC_ORIGIN/)
  })
})
