// What CreateFilter checks (training-rules.md §8, §11): the expression against the group's
// schemas as they are when the call is made (serving/filters/ parses, checks and later
// evaluates it), and the group's quotas. Choices where AWS documents nothing [INF]:
//  * a bad expression is InvalidInputException with the parser's message (it names the position
//    and what was expected); more than 10 distinct fields in one filter too, as it is a property
//    of the expression; more than 20 distinct fields across the group's filters, or more than 30
//    filters in a group (adjustable: enforced with OPENPERSONALIZE_QUOTAS=aws), is
//    LimitExceededException in the style of AWS's other quota messages.
import type { ResourceRecord } from '../../catalog/catalog.ts';
import type { QuotaMode } from '../../config/config.ts';
import { invalidInput, limitExceeded } from '../../protocol/service-error.ts';
import { MAX_FIELDS_PER_GROUP, type GroupSchemas } from '../../serving/filters/filter-check.ts';
import { compileFilter } from '../../serving/filters/filter-evaluator.ts';
import { FilterExpressionError } from '../../serving/filters/filter-syntax.ts';
import type { FilterBody } from './filter-record.ts';

/** Filters per dataset group: AWS's 30 (§11, adjustable) with OPENPERSONALIZE_QUOTAS=aws, else generous. */
export const filtersPerGroup = (mode: QuotaMode) => (mode === 'aws' ? 30 : 10_000);

/** The distinct dataset fields the expression uses, or InvalidInputException saying what is wrong with it. */
export function checkExpression(expression: string, schemas: GroupSchemas): string[] {
  try {
    return [...compileFilter(expression, schemas).fields];
  } catch (e) {
    if (e instanceof FilterExpressionError) throw invalidInput(e.message);
    throw e;
  }
}

/** The group's quotas with the new filter added: filters per group, distinct fields across them. */
export function checkGroupQuotas(existing: ResourceRecord[], fields: string[], mode: QuotaMode): void {
  const max = filtersPerGroup(mode);
  if (existing.length >= max) {
    throw limitExceeded(`Cannot create a filter. More than ${max} resources in ACTIVE state. Please delete some and try again.`);
  }
  const all = new Set(existing.flatMap((f) => (f.body as unknown as FilterBody).fields));
  const added = fields.filter((f) => !all.has(f));
  if (all.size + added.length > MAX_FIELDS_PER_GROUP) {
    throw limitExceeded(
      `Cannot create a filter. The filters of a dataset group can use at most ${MAX_FIELDS_PER_GROUP} distinct dataset fields; ` +
        `its filters use ${all.size} and this one adds ${added.length} (${added.join(', ')}).`,
    );
  }
}
