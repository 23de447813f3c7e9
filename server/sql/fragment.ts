/**
 * SQL as fragments: text plus the ClickHouse parameters it names. The `sql` tag's slots take only
 * fragments (a `param`, a `trusted` constant, another `sql`), never a bare string or number, so a
 * value can only reach the database as a `{name:Type}` parameter (see STYLE: values only bound,
 * identifiers only from whitelists).
 */
export class SqlFragment {
  private constructor(
    readonly text: string,
    readonly params: Readonly<Record<string, unknown>>,
  ) {}

  /** @internal the constructors below are the only ways in */
  static of(text: string, params: Readonly<Record<string, unknown>>): SqlFragment {
    return new SqlFragment(text, params)
  }
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
// ClickHouse type names as the code writes them: String, UInt32, Array(String), DateTime64(3, 'Asia/Shanghai').
// No braces or colons: a type cannot close the slot and open another.
const PARAM_TYPE = /^[A-Za-z][A-Za-z0-9]*(\([A-Za-z0-9, '/_()]*\))?$/

/** A typed parameter slot `{name:Type}` bound to `value`. */
export function param(name: string, type: string, value: unknown): SqlFragment {
  if (!PARAM_NAME.test(name)) throw new Error(`unsafe parameter name ${name}`)
  if (!PARAM_TYPE.test(type)) throw new Error(`unsafe parameter type ${type}`)
  return SqlFragment.of(`{${name}:${type}}`, { [name]: value })
}

/**
 * Text the code itself wrote: a constant, or a value picked from a whitelist (a column list, an
 * ORDER BY from a fixed map). Never a value from a request.
 */
export function trusted(text: string): SqlFragment {
  return SqlFragment.of(text, {})
}

/** An existing condition with its parameters (the shapes server/db/regionFilter.ts returns). */
export function condition(part: { sql: string; params: Record<string, unknown> }): SqlFragment {
  return SqlFragment.of(part.sql, part.params)
}

function mergeParams(into: Record<string, unknown>, from: Readonly<Record<string, unknown>>): void {
  for (const [name, value] of Object.entries(from)) {
    if (Object.hasOwn(into, name) && JSON.stringify(into[name]) !== JSON.stringify(value))
      throw new Error(`parameter ${name} bound twice with different values`)
    into[name] = value
  }
}

/** The tag: `sql\`SELECT … WHERE id = ${param('id', 'String', id)}\``. */
export function sql(strings: TemplateStringsArray, ...slots: SqlFragment[]): SqlFragment {
  const params: Record<string, unknown> = {}
  let text = strings[0]
  slots.forEach((slot, i) => {
    if (!(slot instanceof SqlFragment)) throw new Error('sql slots take fragments only (param, trusted, sql)')
    mergeParams(params, slot.params)
    text += slot.text + strings[i + 1]
  })
  return SqlFragment.of(text, params)
}

/** Fragments joined by a constant separator (' AND ', ', '). */
export function join(fragments: readonly SqlFragment[], separator: string): SqlFragment {
  const params: Record<string, unknown> = {}
  for (const fragment of fragments) mergeParams(params, fragment.params)
  return SqlFragment.of(fragments.map((fragment) => fragment.text).join(separator), params)
}
