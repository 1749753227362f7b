// `openpersonalize validate` on the bad-file corpus that the import jobs are tested with
// (test/testkit/bad-file-corpus.ts): every case gets the verdict and the failureReason the import
// job gets (assertReason with the same expectations, files named by their local paths), its
// problems listed with file, line and column, and a summary; good files pass with their counts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCommand, type Io } from '../../src/main/cli/cli-common.ts';
import { validateCommand } from '../../src/main/cli/cli-validate.ts';
import {
  assertReason,
  BAD_FILES,
  GOOD_FILES,
  MISSING_COLUMN_FILE,
  MISSING_COLUMN_MESSAGE,
  TRICKY_ITEMS,
} from '../testkit/bad-file-corpus.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';

const dir = mkdtempSync(join(tmpdir(), 'openpersonalize-cli-validate-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const at = (key: string) => join(dir, key);
function put(key: string, body: string | Buffer): string {
  mkdirSync(dirname(at(key)), { recursive: true });
  writeFileSync(at(key), body);
  return at(key);
}
const schemaFile = { interactions: put('interactions.json', minimalSchemas.interactions), items: put('items.json', minimalSchemas.items) };

async function validate(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => void (out += s), err: (s) => void (err += s), tty: false, env: {} };
  const code = await runCommand(validateCommand, args, io);
  return { code, out, err };
}

interface Report {
  ok: boolean;
  failureReason?: string;
  rows: number | null;
  badRows: number;
  distinct: { users?: number; items?: number; eventTypes?: number };
  problems: { file: string; line: number; column: string | null; code: string; rule: string }[];
  moreBadRows: number;
}

describe("validate: the import jobs' bad-file corpus, same verdicts", () => {
  for (const c of BAD_FILES) {
    it(c.id, async () => {
      const paths = c.files.map(([key, body]) => put(key, body));
      // A folder location is all its files, in key order, as one import; a key is that file alone.
      const files = c.location.endsWith('/') ? paths.filter((p) => p.startsWith(at(c.location))).sort() : [at(c.location)];
      const r = await validate([...files, '--schema', schemaFile[c.dataset], '--json']);
      assert.equal(r.code, 1, `the import would fail: ${r.out}${r.err}`);
      const report = JSON.parse(r.out) as Report;
      assert.equal(report.ok, false);
      const e = c.expect(at);
      assertReason(report.failureReason ?? '', at(c.failing), e);
      assert.ok(report.problems.length > 0, 'problems are listed');
      if (e.line !== undefined) {
        const p = report.problems.find((x) => x.line === e.line);
        assert.ok(p, `a problem at line ${e.line}: ${JSON.stringify(report.problems)}`);
        assert.equal(p.file, at(c.failing));
        if (e.column !== undefined) assert.equal(p.column, e.column);
      }
      if (e.rows) assert.deepEqual([report.badRows, report.rows], e.rows, 'bad rows and rows');
    });
  }

  for (const g of GOOD_FILES) {
    it(`good: ${g.id} would import, all its rows`, async () => {
      const paths = g.files.map(([key, body]) => put(`good/${key}`, body));
      const schema = put(`good/${g.id}.json`, g.schema.avro);
      const r = await validate([...paths, '--schema', schema, '--type', g.datasetType, '--json']);
      assert.equal(r.code, 0, `the import would succeed: ${r.out}${r.err}`);
      const report = JSON.parse(r.out) as Report;
      assert.deepEqual(
        { ok: report.ok, rows: report.rows, badRows: report.badRows, items: report.distinct.items, problems: report.problems },
        { ok: true, rows: g.rows, badRows: 0, items: g.rows, problems: [] },
      );
    });
  }

  it("the missing-column file the service refuses at creation fails with AWS's wording", async () => {
    const r = await validate([put('missing.csv', MISSING_COLUMN_FILE), '--schema', schemaFile.interactions]);
    assert.equal(r.code, 1);
    assert.ok(r.out.startsWith(`${at('missing.csv')}:1:EVENT_TYPE: missing_column: ${MISSING_COLUMN_MESSAGE}\n`), r.out);
  });

  it('the tricky good Items file passes, and a good Interactions file with its counts', async () => {
    const tricky = await validate([put('tricky.csv', TRICKY_ITEMS), '--schema', schemaFile.items, '--type', 'Items']);
    assert.equal(tricky.code, 0, tricky.out);
    assert.match(tricky.out, /: 6 rows, 0 bad, 6 items, /);
    assert.match(tricky.out, /^OK: an import of this file would succeed$/m);

    const r = await validate([
      put('good.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1200))),
      '--schema',
      schemaFile.interactions,
      '--json',
    ]);
    assert.equal(r.code, 0, r.out);
    const report = JSON.parse(r.out) as Report;
    assert.deepEqual(
      { ok: report.ok, rows: report.rows, badRows: report.badRows, distinct: report.distinct, problems: report.problems },
      { ok: true, rows: 1200, badRows: 0, distinct: { users: 97, items: 301, eventTypes: 2 }, problems: [] },
    );
  });

  it('lists every problem up to --max-problems, then says how many more', async () => {
    const rows = interactionRows4(1200);
    for (let i = 100; i < 400; i++) rows[i] = `u1,i1,t${i},click`;
    const file = put('many.csv', csv(INTERACTIONS_HEADER_4, rows));
    const r = await validate([file, '--schema', schemaFile.interactions, '--max-problems', '7']);
    assert.equal(r.code, 1);
    const lines = r.out.trimEnd().split('\n');
    assert.deepEqual(
      lines.slice(0, 7),
      Array.from({ length: 7 }, (_, k) => `${file}:${102 + k}:TIMESTAMP: not_integer: 't${100 + k}' is not a whole number (long)`),
    );
    assert.equal(lines[7], '... and 293 more bad rows (--max-problems N lists more)');
    assert.equal(lines[8], `${file}: 1200 rows, 300 bad, 2 event types, 97 users, 301 items, 0.03 MB`);
    assert.match(lines[9], /^FAILED: an import would fail: 300 of 1200 rows are invalid\. First errors: /);
  });

  it('usage problems are one line and exit status 2; the schema must match --type', async () => {
    const cases: [string[], RegExp][] = [
      [[], /^openpersonalize: validate needs at least one FILE/],
      [[at('good.csv')], /^openpersonalize: validate needs --schema/],
      [
        [at('good.csv'), '--schema', schemaFile.items, '--type', 'Interactions'],
        /is a schema for ITEMS datasets, but --type is INTERACTIONS/,
      ],
      [[at('good.csv'), '--schema', schemaFile.items, '--type', 'Movies'], /--type Movies is not a dataset type/],
      [[at('nope.csv'), '--schema', schemaFile.items], /cannot read .*nope\.csv: ENOENT/],
      [[at('good.csv'), '--schema', at('good.csv')], /Invalid schema: the schema is not valid JSON/],
      [[at('good.csv'), '--frobnicate'], /Unknown option '--frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const r = await validate(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, message);
      assert.equal(r.err.trimEnd().split('\n').length, 1, `one line: ${r.err}`);
    }
  });

  it('as a process: exit 1 and the problems on stdout, exit 0 for a valid file', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', 'validate', ...args], { timeout: 30_000 }, (error, stdout) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
        });
      });
    const [bad, good] = await Promise.all([
      run([at('bad-ts.csv'), '--schema', schemaFile.interactions, '--type', 'Interactions']),
      run([at('good.csv'), '--schema', schemaFile.interactions]),
    ]);
    assert.equal(bad.code, 1);
    assert.ok(
      bad.stdout.startsWith(`${at('bad-ts.csv')}:2:TIMESTAMP: not_integer: 'yesterday' is not a whole number (long)\n`),
      bad.stdout,
    );
    assert.equal(good.code, 0, good.stdout);
    assert.match(good.stdout, /OK: an import of this file would succeed/);
  });
});
