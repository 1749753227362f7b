// The offending lines of a failed import: parse file/line/column out of the job's failureReason
// (its wording is fixed by src/data/engine/failure-reason.ts: "<file> line 17, column TIMESTAMP: <rule>; line
// 20, ...", the file named only when it changes) and read those physical lines back from the
// source objects, so the console can show them with the bad cell highlighted.
import type { ObjectStore } from '../object-store/object-store.ts';
import { parseS3Url } from '../object-store/object-store.ts';
import type { FailureLine } from './console-api-types.ts';

/** Stop scanning a source after this many bytes: the console must not read a 50 GB file. */
export const SCAN_LIMIT_BYTES = 256 * 1024 * 1024;
/** Longest line text handed to the browser. */
const MAX_LINE_CHARS = 2000;

// A location: optional file (no spaces in our display names: s3:// or http(s):// URLs), then
// "line N" and optionally ", column NAME", then ": ". Anchored on a separator so that text inside
// a rule cannot start a new match in the middle of a word.
const LOCATION = /(?:^|First errors?: |; )(?:((?:s3|https?):\/\/\S+) )?line (\d+)(?:, column ([^:;,]+))?: /g;
const FILE_ONLY = /^((?:s3|https?):\/\/\S+?): (.*)$/s;

export function parseFailureReason(reason: string): Omit<FailureLine, 'text' | 'cells' | 'cellIndex'>[] {
  const matches = [...reason.matchAll(LOCATION)];
  if (matches.length === 0) {
    const whole = FILE_ONLY.exec(reason);
    return whole ? [{ file: whole[1], line: 0, column: null, rule: whole[2] }] : [];
  }
  const out: Omit<FailureLine, 'text' | 'cells' | 'cellIndex'>[] = [];
  let file = '';
  matches.forEach((m, i) => {
    file = m[1] ?? file;
    const start = m.index! + m[0].length;
    const end = i + 1 < matches.length ? matches[i + 1].index! : reason.length;
    const rule = reason
      .slice(start, end)
      .replace(/; and \d+ more$/, '')
      .trim();
    out.push({ file, line: Number(m[2]), column: m[3] ?? null, rule });
  });
  return out;
}

/** Cells of one CSV line, split on commas outside double quotes (quotes kept, for display). */
export function splitCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && quoted && (line[i + 1] === '"' || line[i + 1] === '\\')) {
      cell += ch + line[++i];
    } else if (ch === '"') {
      quoted = !quoted;
      cell += ch;
    } else if (ch === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/**
 * The wanted physical lines (1-based, split on LF only as the importer counts them, a trailing CR
 * dropped) of a stream, reading no further than the last wanted line or `limit` bytes.
 */
export async function readLines(
  stream: AsyncIterable<Buffer>,
  wanted: Set<number>,
  limit = SCAN_LIMIT_BYTES,
): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  const last = Math.max(0, ...wanted);
  let line = 1;
  let current: Buffer[] = [];
  let currentBytes = 0;
  let read = 0;
  const keep = (chunk: Buffer) => {
    // Only bytes of wanted lines are kept, at most a little more than MAX_LINE_CHARS of each.
    if (wanted.has(line) && currentBytes < MAX_LINE_CHARS * 4) {
      current.push(chunk);
      currentBytes += chunk.length;
    }
  };
  const finishLine = () => {
    if (wanted.has(line)) {
      const text = Buffer.concat(current).toString('utf8').replace(/\r$/, '');
      found.set(line, text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text);
    }
    current = [];
    currentBytes = 0;
    line++;
  };
  for await (const chunk of stream) {
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl >= 0; nl = chunk.indexOf(10, from)) {
      keep(chunk.subarray(from, nl));
      finishLine();
      from = nl + 1;
      if (line > last) return found;
    }
    keep(chunk.subarray(from));
    read += chunk.length;
    if (read > limit) return found;
  }
  if (currentBytes > 0 || current.length > 0) finishLine();
  return found;
}

/**
 * The problems of a failure reason with their source lines, read from the object store when the
 * file is an s3:// location under the job's own data location (never any other object).
 */
export async function failureLines(
  reason: string,
  dataLocation: string | undefined,
  objects: ObjectStore,
): Promise<{ problems: FailureLine[]; header?: string }> {
  const problems: FailureLine[] = parseFailureReason(reason);
  let header: string | undefined;
  const byFile = new Map<string, FailureLine[]>();
  for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  for (const [file, list] of byFile) {
    const at = parseS3Url(file);
    if (!at || !dataLocation || !file.startsWith(dataLocation)) continue;
    const wanted = new Set([1, ...list.map((p) => p.line).filter((n) => n > 0)]);
    let lines: Map<number, string>;
    try {
      lines = await readLines(await objects.read(at.bucket, at.key), wanted);
    } catch {
      continue; // the object is gone or unreadable: the reason alone is still shown
    }
    const head = lines.get(1);
    header ??= head;
    const columns = head
      ? splitCells(head).map((c) =>
          c
            .trim()
            .replace(/^\uFEFF/, '')
            .replace(/^"|"$/g, ''),
        )
      : [];
    for (const p of list) {
      const text = p.line > 0 ? lines.get(p.line) : undefined;
      if (text === undefined) continue;
      p.text = text;
      p.cells = splitCells(text);
      if (p.column !== null && columns.includes(p.column)) p.cellIndex = columns.indexOf(p.column);
    }
  }
  return { problems, header };
}
