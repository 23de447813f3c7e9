import type { Db } from '../db/client'
import { projects } from '../catalogue'
import { regionsAtLevel } from '../../geo/regions'

/**
 * The article's 160 supervision posts (监督岗位): one in every town's 财政所 (83), one per
 * supervising department in every county (5 × 13 = 65), and the rest at the city (12), for the
 * departments in catalogue order. The article gives only the total; this split is an assumption.
 */
export const SUPERVISION_POSTS = 160

export interface Post { post_id: string; level: 'city' | 'county' | 'town'; region_code: string; dept: string; title: string }

export function supervisionPosts(): Post[] {
  const depts = [...new Set(projects.map((p) => p.dept))]
  const posts: Post[] = []
  for (const town of regionsAtLevel('town')) posts.push({ post_id: `JD${town.code}`, level: 'town', region_code: town.code, dept: '财政', title: `${town.name}财政所监督岗` })
  for (const county of regionsAtLevel('county'))
    depts.forEach((dept, i) => posts.push({ post_id: `JD${county.code}${String(i + 1).padStart(2, '0')}`, level: 'county', region_code: county.code, dept, title: `${county.name}${dept}监督岗` }))
  const cityPosts = SUPERVISION_POSTS - posts.length
  for (let i = 0; i < cityPosts; i++) {
    const dept = depts[i % depts.length]
    posts.push({ post_id: `JD511000${String(i + 1).padStart(2, '0')}`, level: 'city', region_code: '511000', dept, title: `内江市${dept}监督岗` })
  }
  return posts
}

export async function insertSupervisionPosts(db: Db): Promise<void> {
  await db.client.insert({ table: 'supervision_post', values: supervisionPosts(), format: 'JSONEachRow' })
}
