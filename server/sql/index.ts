export { condition, join, param, sql, SqlFragment, trusted } from './fragment'
export { MAX_PAGE_SIZE, select, selectFirst, selectPage, type Paging } from './select'
