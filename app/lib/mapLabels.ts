/**
 * Places one label per region on a map so that no two labels overlap.
 *
 * Neijiang's 市中区 and 东兴区 have their seats 1 km apart, so labels at the seats (or even at the
 * centroids) cover each other. Labels are placed largest region first at their anchor; a label
 * that would overlap one already placed is moved to the nearest free candidate position around
 * its anchor and gets a leader line back to it.
 */
export interface LabelRequest {
  code: string
  /** where the label belongs, in screen pixels */
  anchor: [number, number]
  width: number
  height: number
  /** larger regions keep their anchor first */
  area: number
}

export interface PlacedLabel {
  code: string
  /** centre of the label box */
  at: [number, number]
  anchor: [number, number]
  /** true when the label sits away from its anchor and needs a leader line */
  moved: boolean
}

interface Box { x0: number; y0: number; x1: number; y1: number }

const boxAround = ([x, y]: [number, number], width: number, height: number): Box => ({
  x0: x - width / 2, y0: y - height / 2, x1: x + width / 2, y1: y + height / 2,
})

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1

const inside = (box: Box, width: number, height: number) => box.x0 >= 0 && box.y0 >= 0 && box.x1 <= width && box.y1 <= height

// Sixteen directions on growing ellipses around the anchor, nearest first, so a moved label stays
// as close to its region as the others allow (the first version, with eight directions at whole
// label widths, put 市中区 across 东兴区 on the wrong side). Down-left first: the city's crowded
// pair sits east of the map's middle, where the south-west has room.
const ANGLES = Array.from({ length: 16 }, (_, i) => Math.PI * (0.75 + (i % 2 ? -1 : 1) * Math.ceil(i / 2) / 8))

function candidates(label: LabelRequest): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (let ring = 1; ring <= 14; ring++) {
    const ry = ring * label.height * 0.4
    const rx = ry * (label.width / label.height)
    for (const angle of ANGLES) out.push([label.anchor[0] + Math.cos(angle) * rx, label.anchor[1] + Math.sin(angle) * ry])
  }
  return out
}

export function placeMapLabels(requests: LabelRequest[], bounds: { width: number; height: number }): PlacedLabel[] {
  const placed: Array<PlacedLabel & { box: Box }> = []
  const order = [...requests].sort((a, b) => b.area - a.area)
  for (const label of order) {
    const free = (centre: [number, number]) => {
      const box = boxAround(centre, label.width, label.height)
      return placed.every((other) => !overlaps(box, other.box)) ? box : null
    }
    let at: [number, number] = label.anchor
    let box = free(at)
    for (const candidate of box ? [] : candidates(label)) {
      const candidateBox = free(candidate)
      if (candidateBox && inside(candidateBox, bounds.width, bounds.height)) {
        at = candidate
        box = candidateBox
        break
      }
    }
    // no free place at all (a tiny map): keep the anchor rather than drop the label
    box ??= boxAround(at, label.width, label.height)
    placed.push({ code: label.code, at, anchor: label.anchor, moved: at !== label.anchor, box })
  }
  return requests.map((r) => {
    const { box: _box, ...label } = placed.find((p) => p.code === r.code)!
    return label
  })
}
