// Reading one input line of a batch job (training-rules.md rules 108, 110): a JSON object with the
// ids the recipe needs (`userId`, `itemId`, `itemList`, `itemAttributes`) and, on any line,
// `filterValues` for the job's filter. A line that cannot be answered becomes an output line with
// an `error` (LineError), never a failed job. Choices where AWS documents nothing [INF]:
//  * an id given as a JSON number is read as its text (`{"userId": 5}` is user "5"), as Java JSON
//    readers bind a number to a String field; any other type is an error naming the member;
//  * members a line does not need are ignored (and echoed with the input).
import { ServiceError } from '../protocol/service-error.ts';

/** A line the job cannot answer: the message goes into the line's `error`. */
export class LineError extends Error {}

export type LineInput = Record<string, unknown>;

/** The line as a JSON object, or a LineError. */
export function parseLine(line: string): LineInput {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new LineError('The line is not valid JSON: each input line must be one JSON object, e.g. {"userId": "4638"}.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new LineError('The line is not a JSON object: each input line must be one JSON object, e.g. {"userId": "4638"}.');
  return value as LineInput;
}

function text(member: string, v: unknown): string {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new LineError(`${member} must be a non-empty string, not ${JSON.stringify(v)}.`);
}

/** An optional id member; undefined when absent or null. */
export function optionalId(input: LineInput, member: string): string | undefined {
  const v = input[member];
  return v === undefined || v === null ? undefined : text(member, v);
}

/** A required id member, or a LineError saying what the solution version needs. */
export function requiredId(input: LineInput, member: string, why: string): string {
  const v = optionalId(input, member);
  if (v === undefined) throw new LineError(`${member} is required: ${why}.`);
  return v;
}

/** `itemList` of a Personalized-Ranking line: the items to rank (at most `max`). */
export function itemListOf(input: LineInput, max: number, why: string): string[] {
  const v = input.itemList;
  if (v === undefined || v === null) throw new LineError(`itemList is required: ${why}.`);
  if (!Array.isArray(v)) throw new LineError('itemList must be a list of item ids.');
  if (v.length > max) throw new LineError(`itemList has ${v.length} items; it can have at most ${max}.`);
  return v.map((x, i) => text(`itemList[${i}]`, x));
}

/** The line's filterValues: parameter name (without $) → quoted, comma-separated values. */
export function filterValuesOf(input: LineInput): Record<string, string> {
  const v = input.filterValues;
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw new LineError('filterValues must be an object of parameter names and values, e.g. {"GENRES": "\\"horror\\",\\"comedy\\""}.');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(v as Record<string, unknown>)) {
    if (typeof value !== 'string') throw new LineError(`filterValues.${name} must be a string of quoted, comma-separated values.`);
    out[name] = value;
  }
  return out;
}

/** The message of an error raised while answering a line (a ServiceError's is meant for the caller). */
export function lineErrorText(e: unknown): string | undefined {
  if (e instanceof LineError) return e.message;
  if (e instanceof ServiceError && e.code === 'InvalidInputException') return e.message;
  return undefined;
}
