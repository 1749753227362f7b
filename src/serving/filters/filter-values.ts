// The values a request gives a filter's placeholders (rule 106): filterValues maps the name
// without $ (case-sensitive) to a string of quoted, comma-separated literals, `"comedy","drama"`
// as the JSON string "\"comedy\",\"drama\""; a number for a comparison may also come unquoted
// ("5") [INF]. A malformed value is the caller's mistake: InvalidInputException naming it.
import { invalidInput } from '../../protocol/service-error.ts';

const EXAMPLE = '"\\"comedy\\",\\"drama\\""';

function malformed(name: string, raw: string, why: string): Error {
  return invalidInput(
    `The value of the filter parameter ${name} in filterValues (${JSON.stringify(raw)}) is not valid: ${why}. ` +
      `Give quoted, comma-separated values, e.g. ${EXAMPLE}, or a number for a comparison.`,
  );
}

/** The literals of one filterValues entry, unquoted. */
export function parseFilterValue(name: string, raw: string): string[] {
  const values: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < raw.length && /\s/.test(raw[i])) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= raw.length) throw malformed(name, raw, values.length === 0 ? 'it holds no value' : 'it ends with a comma');
    if (raw[i] === '"') {
      let value = '';
      let j = i + 1;
      while (j < raw.length && raw[j] !== '"') {
        if (raw[j] === '\\' && (raw[j + 1] === '"' || raw[j + 1] === '\\')) j++;
        value += raw[j];
        j++;
      }
      if (j >= raw.length) throw malformed(name, raw, 'a quote is not closed');
      values.push(value);
      i = j + 1;
    } else {
      let j = i;
      while (j < raw.length && raw[j] !== ',') j++;
      const bare = raw.slice(i, j).trim();
      if (bare.includes('"')) throw malformed(name, raw, `"${bare}" mixes quoted and unquoted text`);
      values.push(bare);
      i = j;
    }
    skipSpace();
    if (i >= raw.length) return values;
    if (raw[i] !== ',') throw malformed(name, raw, `expected a comma after the value ending at character ${i}`);
    i++;
  }
}

/** The one number a comparison placeholder stands for (or, for = and != on strings, its one string). */
export function singleValue(name: string, raw: string): string {
  const values = parseFilterValue(name, raw);
  if (values.length !== 1) {
    throw invalidInput(
      `The filter parameter ${name} is used in a comparison, so filterValues must give it exactly one value, not ${values.length} (${JSON.stringify(raw)}).`,
    );
  }
  return values[0];
}

export function numberValue(name: string, raw: string): number {
  const value = singleValue(name, raw);
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw invalidInput(
      `The filter parameter ${name} is compared with a numeric field, so its value must be a number, not ${JSON.stringify(raw)}.`,
    );
  }
  return n;
}
