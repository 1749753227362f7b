// From an API record (an event, item, user, action or action interaction) to the raw cells of a
// dataset row (rules.md rule 78): dedicated members fill their columns (itemId -> ITEM_ID,
// sentAt -> TIMESTAMP, ...) and `properties`, a JSON string, fills the other columns by the
// camelCase form of their names (CREATION_TIMESTAMP -> creationTimestamp, GENRES -> genres), and
// may also hold a column that has a member (itemId), as long as it does not contradict the member.
// Values become the text a CSV cell would hold, so the bulk cell rules then judge them alike.
import { createHash } from 'node:crypto';
import { invalidInput } from '../../protocol/service-error.ts';
import type { ParsedSchema } from '../schema/schema-model.ts';
import type { Cells, NewRecord } from './record-store.ts';

/** CREATION_TIMESTAMP -> creationTimestamp; GENRES -> genres; price -> price. */
export function camelCase(fieldName: string): string {
  const [first, ...rest] = fieldName.split('_').filter((p) => p.length > 0);
  return (first ?? '').toLowerCase() + rest.map((p) => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase()).join('');
}

/** Members with a column of their own; undefined = not given (the column stays empty). */
export type Fixed = Record<string, string | number | undefined>;

function cellText(value: unknown, where: string, key: string): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalidInput(
    `${where}: the value of '${key}' in properties must be a string, a number or a boolean (join several categorical values with |).`,
  );
}

/**
 * The cells of one record. `fixed` holds the dedicated members by column name (ignored when the
 * schema has no such column); `where` names the record in messages, e.g. "items[2] (itemId 'i9')".
 */
export function cellsOf(schema: ParsedSchema, fixed: Fixed, properties: string | undefined, where: string): Cells {
  const cells: Cells = {};
  for (const f of schema.fields) cells[f.name] = null;
  for (const [name, value] of Object.entries(fixed)) {
    if (value !== undefined && name in cells) cells[name] = String(value);
  }
  if (properties === undefined) return cells;
  let parsed: unknown;
  try {
    parsed = JSON.parse(properties);
  } catch {
    throw invalidInput(`${where}: properties is not valid JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidInput(`${where}: properties must be a JSON object whose keys are the schema's field names in camelCase.`);
  }
  const byKey = new Map(schema.fields.map((f) => [camelCase(f.name), f.name]));
  for (const [key, value] of Object.entries(parsed)) {
    const field = byKey.get(key);
    if (!field) {
      const allowed = schema.fields.map((f) => camelCase(f.name));
      throw invalidInput(
        `${where}: properties has the key '${key}', which is not a field of the dataset's schema in camelCase (expected keys: ${allowed.join(', ') || 'none'}).`,
      );
    }
    const text = cellText(value, where, key);
    // A column with a member of its own may come in properties too, as AWS's own samples send an
    // event's itemId (the API had no itemId member at first): used when the member is absent,
    // refused only when both are given and differ.
    const given = fixed[field];
    if (given !== undefined && text !== String(given)) {
      throw invalidInput(
        `${where}: properties gives '${key}' as ${JSON.stringify(text)}, but the record's own member gives ${field} as ${JSON.stringify(String(given))}; give it once, or the same value.`,
      );
    }
    if (given === undefined) cells[field] = text;
  }
  return cells;
}

const ID_COLUMN: Partial<Record<ParsedSchema['datasetType'], string>> = { ITEMS: 'ITEM_ID', USERS: 'USER_ID', ACTIONS: 'ACTION_ID' };

/** The stored form: keyed by ID (a later put replaces it) or, for interactions, by the whole row. */
export function toNewRecord(schema: ParsedSchema, cells: Cells): NewRecord {
  const idColumn = ID_COLUMN[schema.datasetType];
  const key = idColumn
    ? (cells[idColumn] ?? '')
    : createHash('sha256')
        .update(JSON.stringify(schema.fields.map((f) => cells[f.name])))
        .digest('base64url');
  return { key, userId: 'USER_ID' in cells ? cells.USER_ID : null, cells };
}
