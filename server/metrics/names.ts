import projects from '../catalogue/projects.json'

/** Project names for labels; rows carry only project_code. Unknown codes show as themselves. */
const projectNames = new Map((projects as Array<{ code: string; name: string }>).map((project) => [project.code, project.name]))

export function projectName(code: string): string {
  return projectNames.get(code) ?? code
}
