// The engine half of a data deletion job (rules.md §9): read the list of users to delete, and
// remove them from a generation of Parquet parts.
//
// A generation is rewritten part by part rather than as one compacted part: each part keeps its
// place and its `jobArn`, whose commit time ALL-mode exports use to order individual records
// against bulk parts (record-parts.ts). A compacted part would carry one commit time for rows of
// several imports and could change which version of an untouched user an export shows. Parts
// that hold none of the users are not rewritten at all, so their keys stay and nothing is copied.
// Within a rewritten part the remaining rows keep their order (for Users, the last row of an ID wins).
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { rows, withDuck } from './duck.ts';
import { ID_MAX_CHARS, sqlString } from './cell-rules.ts';
import { IngestError, type CsvSource, type EngineOptions } from './types.ts';

export const USER_LIST_HEADER = 'USER_ID';
/** How many problems a failureReason quotes (the count covers them all). */
const MAX_REPORTED = 5;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The physical lines of a file (without '\n'), as raw bytes: decoding is per line, so one bad
 *  line is reported with its number instead of silently turned into U+FFFD. */
async function* lines(path: string): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let buf = rest.length > 0 ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let nl: number;
    while ((nl = buf.indexOf(0x0a)) >= 0) {
      yield buf.subarray(0, nl);
      buf = buf.subarray(nl + 1);
    }
    rest = Buffer.from(buf);
  }
  if (rest.length > 0) yield rest;
}

const trimCr = (b: Buffer) => (b.length > 0 && b[b.length - 1] === 0x0d ? b.subarray(0, b.length - 1) : b);

/** One CSV cell of a one-column file: the value, or why the line is not one. */
function parseCell(text: string): { value: string } | { problem: string } {
  if (text.startsWith('"')) {
    if (text.length < 2 || !text.endsWith('"'))
      return { problem: 'a quoted value is not closed on its line, or text follows its closing quote' };
    const inner = text.slice(1, -1);
    if (inner.replaceAll('""', '').includes('"')) return { problem: 'a quote inside a quoted value must be doubled ("")' };
    return { value: inner.replaceAll('""', '"') };
  }
  if (text.includes(',')) return { problem: `the line has ${text.split(',').length} columns but the header has 1 (USER_ID)` };
  if (text.includes('"')) return { problem: 'a quote inside an unquoted value' };
  return { value: text };
}

function checkValue(value: string): string | null {
  if (value.length === 0) return 'empty USER_ID';
  if (value.length > ID_MAX_CHARS) {
    const chars = [...value].length;
    if (chars > ID_MAX_CHARS)
      return `'${[...value].slice(0, 40).join('')}…' is ${chars} characters long; USER_ID can have at most ${ID_MAX_CHARS} characters`;
  }
  return null;
}

class JsonLines {
  private buffered: string[] = [];
  private size = 0;
  constructor(private readonly out: WriteStream) {}
  async add(value: string): Promise<void> {
    const line = `${JSON.stringify({ USER_ID: value })}\n`;
    this.buffered.push(line);
    this.size += line.length;
    if (this.size >= 1 << 16) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const ok = this.out.write(this.buffered.join(''));
    this.buffered = [];
    this.size = 0;
    if (!ok) await once(this.out, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'close');
  }
}

/**
 * Checks every file of a user list (header exactly USER_ID; each value non-empty, at most 256
 * characters, one column) and writes the distinct user IDs to `<workDir>/users.parquet`.
 * Throws IngestError with the failureReason when any file or value is bad: nothing is deleted then.
 */
export async function readUserList(
  sources: CsvSource[],
  workDir: string,
  engine: EngineOptions,
): Promise<{ usersPath: string; users: number; values: number }> {
  const ndjson = join(workDir, 'users.ndjson');
  const out = new JsonLines(createWriteStream(ndjson));
  const problems: string[] = [];
  let bad = 0;
  let values = 0;
  try {
    for (const source of sources) {
      let lineNo = 0;
      for await (const raw of lines(source.path)) {
        lineNo++;
        let bytes = trimCr(raw);
        if (lineNo === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
        if (lineNo > 1) values++;
        let text: string;
        try {
          text = utf8.decode(bytes);
        } catch {
          if (lineNo === 1)
            throw new IngestError(`${source.displayName} line 1: the header is not valid UTF-8 text; expected exactly ${USER_LIST_HEADER}`);
          bad++;
          if (problems.length < MAX_REPORTED) problems.push(`${source.displayName} line ${lineNo}: the line is not valid UTF-8 text`);
          continue;
        }
        if (lineNo === 1) {
          if (text !== USER_LIST_HEADER) throw headerProblem(source.displayName, text);
          continue;
        }
        const cell = parseCell(text);
        const problem = 'problem' in cell ? cell.problem : checkValue(cell.value);
        if (problem !== null) {
          bad++;
          if (problems.length < MAX_REPORTED) problems.push(`${source.displayName} line ${lineNo}: ${problem}`);
        } else if ('value' in cell) {
          await out.add(cell.value);
        }
      }
      if (lineNo === 0) throw new IngestError(`${source.displayName}: the file is empty; expected the header line ${USER_LIST_HEADER}`);
    }
  } finally {
    await out.close();
  }
  if (bad > 0) {
    const more = bad > problems.length ? `; and ${bad - problems.length} more` : '';
    throw new IngestError(`${bad} of ${values} user IDs are invalid. First errors: ${problems.join('; ')}${more}`);
  }
  const usersPath = join(workDir, 'users.parquet');
  const select =
    values === 0
      ? 'SELECT NULL::VARCHAR AS USER_ID WHERE false'
      : `SELECT DISTINCT USER_ID FROM read_json(${sqlString(ndjson)}, format = 'newline_delimited', columns = {'USER_ID': 'VARCHAR'})`;
  const [r] = await withDuck(engine, (c) => rows(c, `COPY (${select}) TO ${sqlString(usersPath)} (FORMAT parquet)`));
  return { usersPath, users: Number(r.Count), values };
}

export function headerProblem(displayName: string, header: string): IngestError {
  const shown = header.length > 80 ? `${header.slice(0, 80)}…` : header;
  return new IngestError(
    `${displayName} line 1: a user list must have exactly one column named ${USER_LIST_HEADER} in its header, but the header is '${shown}'`,
  );
}

export interface PartRewrite {
  /** Index of the part in the generation. */
  index: number;
  /** The new local Parquet file, without the users' rows. */
  path: string;
  rows: number;
}

/**
 * Removes the rows of the users in `usersPath` from each part of a generation that holds any of
 * them (an anti-join, rows in their original order) and writes the distinct users it found to
 * `foundPath`. Parts must have a USER_ID column.
 */
export async function removeUsersFromParts(o: {
  parts: string[];
  usersPath: string;
  workDir: string;
  tag: string;
  engine: EngineOptions;
}): Promise<{ rewrites: PartRewrite[]; foundPath: string }> {
  const foundPath = join(o.workDir, `found-${o.tag}.parquet`);
  return withDuck(o.engine, async (c) => {
    await c.run(`CREATE TABLE users AS SELECT USER_ID FROM read_parquet(${sqlString(o.usersPath)})`);
    const scan =
      o.parts.length === 0
        ? 'SELECT NULL::VARCHAR AS USER_ID, NULL::BIGINT AS file_index WHERE false'
        : `SELECT USER_ID, file_index FROM read_parquet([${o.parts.map(sqlString).join(', ')}], union_by_name = true)`;
    await c.run(
      `CREATE TABLE hits AS SELECT DISTINCT p.file_index AS part, p.USER_ID FROM (${scan}) p SEMI JOIN users u ON p.USER_ID = u.USER_ID`,
    );
    await c.run(`COPY (SELECT DISTINCT USER_ID FROM hits) TO ${sqlString(foundPath)} (FORMAT parquet)`);
    const hit = (await rows(c, 'SELECT DISTINCT part FROM hits ORDER BY part')).map((r) => Number(r.part));
    const rewrites: PartRewrite[] = [];
    for (const index of hit) {
      const path = join(o.workDir, `rewrite-${o.tag}-${index}.parquet`);
      const [r] = await rows(
        c,
        `COPY (SELECT * EXCLUDE (__row) FROM (SELECT *, file_row_number AS __row FROM read_parquet(${sqlString(o.parts[index])})) p
               ANTI JOIN users u ON p.USER_ID = u.USER_ID ORDER BY __row) TO ${sqlString(path)} (FORMAT parquet)`,
      );
      rewrites.push({ index, path, rows: Number(r.Count) });
    }
    return { rewrites, foundPath };
  });
}

/** The user IDs of the list that occur in `candidates` (an NDJSON file of {"USER_ID": ...} lines). */
export async function usersAmong(o: {
  candidates: string;
  usersPath: string;
  foundPath: string;
  engine: EngineOptions;
}): Promise<string[]> {
  return withDuck(o.engine, async (c) => {
    await c.run(`CREATE TABLE found AS SELECT DISTINCT r.USER_ID FROM read_json(${sqlString(o.candidates)}, format = 'newline_delimited', columns = {'USER_ID': 'VARCHAR'}) r
                 SEMI JOIN read_parquet(${sqlString(o.usersPath)}) u ON r.USER_ID = u.USER_ID`);
    await c.run(`COPY found TO ${sqlString(o.foundPath)} (FORMAT parquet)`);
    return (await rows(c, 'SELECT USER_ID FROM found ORDER BY USER_ID')).map((r) => String(r.USER_ID));
  });
}

/** How many distinct users the found-user files hold together (numDeleted). */
export async function countDistinctUsers(files: string[], engine: EngineOptions): Promise<number> {
  if (files.length === 0) return 0;
  const [r] = await withDuck(engine, (c) =>
    rows(c, `SELECT count(DISTINCT USER_ID) AS n FROM read_parquet([${files.map(sqlString).join(', ')}])`),
  );
  return Number(r.n);
}
