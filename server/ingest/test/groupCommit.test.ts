import { describe, expect, it } from 'vitest'
import { GroupCommit, type Settled } from '../groupCommit'

/**
 * A writer whose writes finish when the test says so, recording each group it was given. Each item
 * comes out doubled; an odd item is refused on its own, and a group holding 13 fails whole.
 */
function gatedWriter() {
  const groups: number[][] = []
  const finishers: Array<() => void> = []
  const write = (items: readonly number[]) =>
    new Promise<Array<Settled<number>>>((resolve, reject) => {
      groups.push([...items])
      finishers.push(() =>
        items.includes(13)
          ? reject(new Error(`write of ${items.join(',')} failed`))
          : resolve(items.map((n) => (n % 2 === 0 ? { ok: true, value: 2 * n } : { ok: false, error: new Error(`${n} is odd`) }))),
      )
    })
  /** Finishes the oldest unfinished write, then lets the queue move on. */
  const finishNext = async () => {
    finishers.shift()!()
    for (let i = 0; i < 5; i++) await Promise.resolve()
  }
  return { groups, write, finishNext }
}

const settled = (promise: Promise<number>) => promise.then((value) => value, (error: Error) => error.message)

describe('GroupCommit', () => {
  it('writes a lone item at once, alone', async () => {
    const writer = gatedWriter()
    const commit = new GroupCommit(writer.write, (n) => n, 100)
    const written = commit.submit(10)
    expect(writer.groups).toEqual([[10]])
    await writer.finishNext()
    await expect(written).resolves.toBe(20)
    expect(commit.queued).toBe(0)
  })

  it('sends the items that arrive during a write together in the next one, each getting its own outcome', async () => {
    const writer = gatedWriter()
    const commit = new GroupCommit(writer.write, () => 1, 100)
    const outcomes = [2, 4, 5, 8].map((n) => settled(commit.submit(n)))
    expect(writer.groups).toEqual([[2]])
    expect(commit.queued).toBe(3)
    await writer.finishNext()
    expect(writer.groups).toEqual([[2], [4, 5, 8]])
    await writer.finishNext()
    expect(await Promise.all(outcomes)).toEqual([4, 8, '5 is odd', 16])
  })

  it('stops a group before it passes the size limit; a larger item goes alone', async () => {
    const writer = gatedWriter()
    const commit = new GroupCommit(writer.write, (n) => n, 100)
    const outcomes = [6, 60, 30, 20, 250, 8].map((n) => settled(commit.submit(n)))
    for (let i = 0; i < 5; i++) await writer.finishNext()
    expect(writer.groups).toEqual([[6], [60, 30], [20], [250], [8]])
    expect(await Promise.all(outcomes)).toEqual([12, 120, 60, 40, 500, 16])
  })

  it('fails every item of a group whose write fails, with its error, and writes the next group', async () => {
    const writer = gatedWriter()
    const commit = new GroupCommit(writer.write, () => 1, 100)
    const outcomes = [2, 4, 13, 6].map((n) => settled(commit.submit(n)))
    await writer.finishNext()
    const late = settled(commit.submit(10))
    await writer.finishNext()
    await writer.finishNext()
    expect(writer.groups).toEqual([[2], [4, 13, 6], [10]])
    const failed = 'write of 4,13,6 failed'
    expect(await Promise.all([...outcomes, late])).toEqual([4, failed, failed, failed, 20])
  })

  it('fails the group when the writer gives a wrong number of outcomes', async () => {
    const commit = new GroupCommit<number, number>(async () => [{ ok: true, value: 1 }], () => 1, 100)
    const first = settled(commit.submit(1))
    const outcomes = [settled(commit.submit(2)), settled(commit.submit(3))]
    expect(await first).toBe(1)
    expect(await Promise.all(outcomes)).toEqual(['a group of 2 got 1 outcomes', 'a group of 2 got 1 outcomes'])
  })
})
