export { planList, type ListPlan } from './plan.ts';
export { MAX_PAGE_SIZE } from './paginate.ts';
export { InvalidFilterError, InvalidSortError, QueryError, type QueryErrorCode } from './errors.ts';
export { parseFilter, MAX_FILTER_LENGTH } from './filter/parser.ts';
export type { FilterNode, CompareOp, Literal } from './filter/ast.ts';
