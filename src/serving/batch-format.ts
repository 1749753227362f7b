// How batch jobs write their output lines (training-rules.md rules 7, 111, 114), as AWS's own
// output files show them:
//  * batch inference, compact JSON: `{"input":{"userId":"4016"},"output":{"recommendedItems":[...],
//    "scores":[0.8449224,...]},"error":null}`, scores printed as Java prints a double — plain
//    between 10^-3 and 10^7 (`0.0149095`, `1.0`), else in scientific notation (`3.773E-4`,
//    `7.17E-5`): AWS writes these files from Java;
//  * batch segments, with `", "` and `": "` between the top-level members and inside the echoed
//    input but none inside the list: `{"input": {"itemId": "1"}, "output": {"usersList":
//    ["61","22","57"]}, "error": null}`;
//  * a line that could not be answered keeps its input and holds `"output":null` and the reason in
//    `error` [INF: AWS documents the member, not its texts]; a line that is not a JSON object is
//    echoed as a JSON string.

/** A double as Java's Double.toString writes it (shortest digits that read back to the same value). */
export function javaDouble(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    // JS writes this range without an exponent too; Java always shows a fractional part.
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = x.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** What a batch inference line answers: its items, and the members that go with them. */
export interface InferenceOutput {
  recommendedItems: string[];
  /** Recipes that score (rule 111: User-Personalization, Personalized-Ranking); parallel to recommendedItems. */
  scores?: number[];
  /** THEME_GENERATION. */
  theme?: string;
  itemsThemeRelevanceScores?: number[];
}

const numbers = (xs: number[]) => `[${xs.map(javaDouble).join(',')}]`;

export function inferenceLine(input: unknown, output: InferenceOutput): string {
  let out = `{"recommendedItems":${JSON.stringify(output.recommendedItems)}`;
  if (output.scores) out += `,"scores":${numbers(output.scores)}`;
  if (output.theme !== undefined) out += `,"theme":${JSON.stringify(output.theme)}`;
  if (output.itemsThemeRelevanceScores) out += `,"itemsThemeRelevanceScores":${numbers(output.itemsThemeRelevanceScores)}`;
  return `{"input":${JSON.stringify(input)},"output":${out}},"error":null}`;
}

export function inferenceErrorLine(input: unknown, error: string): string {
  return `{"input":${JSON.stringify(input)},"output":null,"error":${JSON.stringify(error)}}`;
}

/** JSON with `", "` and `": "` separators (as Python's json.dumps writes it). */
function spaced(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spaced).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${spaced(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value) ?? 'null';
}

export function segmentLine(input: unknown, users: string[]): string {
  return `{"input": ${spaced(input)}, "output": {"usersList": [${users.map((u) => JSON.stringify(u)).join(',')}]}, "error": null}`;
}

export function segmentErrorLine(input: unknown, error: string): string {
  return `{"input": ${spaced(input)}, "output": null, "error": ${JSON.stringify(error)}}`;
}
