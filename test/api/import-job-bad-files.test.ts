// The bad-file corpus through the AWS SDK for JavaScript against the running service (local
// object store): each file fails its import job (or, for a missing column, the create call) with a
// failureReason that names the file, the line and column, the offending value and the rule, and how
// many rows are bad; a failed job leaves the dataset's data as it was. Plus one good file with
// every tricky encoding detail, which must import and read back decoded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDatasetImportJobCommand, ListDatasetImportJobsCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { errorOf, schemas, startTestService, uniqueName, type TestService } from '../support/service-harness.ts';
import { activeDataset, csv, exportLines, importAndWait, INTERACTIONS_HEADER, interactionRows, localBucket, type Bucket } from '../support/import-fixtures.ts';

interface Expect {
  /** Physical line (header = 1). */
  line?: number;
  column?: string;
  /** The offending value as the reason quotes it. */
  value?: string;
  rule: string | RegExp;
  /** [bad, total]: "bad of total rows are invalid". */
  rows?: [number, number];
}

/** 1,200 valid rows with `patch` applied (data index -> line); data index i is physical line i + 2. */
function patched(patch: Record<number, string>, rows = interactionRows(1200, 10_000)): string {
  for (const [i, l] of Object.entries(patch)) rows[Number(i)] = l;
  return csv(INTERACTIONS_HEADER, rows);
}

/** Deterministic random bytes (xorshift32), newlines and CRs included. */
function garbage(n: number, seed = 2463534242): Buffer {
  let x = seed;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % 256;
  }
  return out;
}

/** One CSV line decoded by the rules the importer documents: RFC 4180 quoting, and \" \\ inside quotes. */
function decodeLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) cell += line[++i];
      else if (ch === '"' && line[i + 1] === '"') cell += line[++i];
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  return [...cells, cell];
}

describe('import jobs: the bad-file corpus through the API', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let bucket: Bucket;
  let interactions: string;
  let items: string;
  const goodRows = interactionRows(1200);
  /** The jobs that `fails` saw fail, by dataset. */
  const failedJobs: { jobName: string; datasetArn: string }[] = [];

  before(async () => {
    svc = await startTestService();
    client = svc.client();
    bucket = localBucket(svc.dataDir);
    [interactions, items] = await Promise.all([
      activeDataset(client, schemas.interactions, 'Interactions').then((d) => d.datasetArn),
      activeDataset(client, schemas.items, 'Items').then((d) => d.datasetArn),
    ]);
    await bucket.put('good.csv', csv(INTERACTIONS_HEADER, goodRows));
    const first = await importAndWait(client, interactions, `s3://${bucket.name}/good.csv`);
    assert.equal(first.status, 'ACTIVE', first.failureReason);
  });
  after(() => svc.close());

  /**
   * Puts the file at `key` (unless body is null: already there), imports `location` (default: that
   * file) into `datasetArn` and checks the job fails as expected, naming s3://bucket/key; returns the reason.
   */
  async function fails(key: string, body: string | Buffer | null, e: Expect, datasetArn = interactions, location = `s3://${bucket.name}/${key}`): Promise<string> {
    if (body !== null) await bucket.put(key, body);
    const job = await importAndWait(client, datasetArn, location);
    assert.equal(job.status, 'CREATE FAILED', `the job must fail: ${key}`);
    const reason = job.failureReason ?? '';
    failedJobs.push({ jobName: job.jobName!, datasetArn });
    const file = `s3://${bucket.name}/${key}`;
    assert.ok(reason.includes(file), `file ${file} in: ${reason}`);
    if (e.line !== undefined) assert.ok(new RegExp(`line ${e.line}\\b`).test(reason), `line ${e.line} in: ${reason}`);
    if (e.column !== undefined) assert.ok(reason.includes(`line ${e.line}, column ${e.column}`), `column ${e.column} in: ${reason}`);
    if (e.value !== undefined) assert.ok(reason.includes(`'${e.value}'`), `value '${e.value}' in: ${reason}`);
    if (typeof e.rule === 'string') assert.ok(reason.includes(e.rule), `rule "${e.rule}" in: ${reason}`);
    else assert.match(reason, e.rule);
    if (e.rows) {
      const [bad, total] = e.rows;
      assert.ok(reason.startsWith(`${bad} of ${total} rows ${bad === 1 ? 'is' : 'are'} invalid.`), `${bad} of ${total} rows in: ${reason}`);
    }
    return reason;
  }

  it('missing column: refused at creation in AWS wording; in the second file of a folder, the job names the file', async () => {
    await bucket.put('missing.csv', csv('USER_ID,ITEM_ID,TIMESTAMP', interactionRows(1200).map((r) => r.slice(0, r.lastIndexOf(',')))));
    const jobName = uniqueName('missing');
    const e = await errorOf(() => client.send(new CreateDatasetImportJobCommand({ jobName, datasetArn: interactions, dataSource: { dataLocation: `s3://${bucket.name}/missing.csv` } })));
    assert.equal(e.name, 'InvalidInputException');
    assert.equal(e.$metadata?.httpStatusCode, 400);
    assert.equal(e.message, 'Input csv is missing the following columns: [EVENT_TYPE]');
    const listed = await client.send(new ListDatasetImportJobsCommand({ datasetArn: interactions }));
    assert.equal(listed.datasetImportJobs?.some((j) => j.jobName === jobName), false, 'no job is created');
    // Only the first file's header is checked at creation; the job checks the others.
    await bucket.put('missing-folder/a.csv', csv(INTERACTIONS_HEADER, interactionRows(600)));
    await bucket.put('missing-folder/b.csv', csv('USER_ID,ITEM_ID,TIMESTAMP', interactionRows(600, 600).map((r) => r.slice(0, r.lastIndexOf(',')))));
    const reason = await fails('missing-folder/b.csv', null, { line: 1, rule: 'Input csv is missing the following columns: [EVENT_TYPE]' }, interactions, `s3://${bucket.name}/missing-folder/`);
    assert.ok(reason.startsWith('Input csv is missing the following columns: [EVENT_TYPE]'), reason);
  });

  it('bad number: a decimal and an out-of-range value in a long column', async () => {
    const reason = await fails('bad-number.csv', patched({ 10: 'u1,i1,1.5,click', 20: 'u1,i1,99999999999999999999,click' }), {
      line: 12, column: 'TIMESTAMP', value: '1.5', rule: 'is not a whole number (long)', rows: [2, 1200],
    });
    assert.ok(reason.includes("line 22, column TIMESTAMP: '99999999999999999999' is out of range for long (-9223372036854775808 to 9223372036854775807)"), reason);
  });

  it('bad timestamp: a word and an ISO date', async () => {
    const reason = await fails('bad-ts.csv', patched({ 0: 'u1,i1,yesterday,click', 500: 'u1,i1,2024-01-01T00:00:00Z,click' }), {
      line: 2, column: 'TIMESTAMP', value: 'yesterday', rule: "'yesterday' is not a whole number (long)", rows: [2, 1200],
    });
    assert.ok(reason.includes("line 502, column TIMESTAMP: '2024-01-01T00:00:00Z' is not a whole number (long)"), reason);
  });

  it('empty required values: USER_ID, EVENT_TYPE, TIMESTAMP', async () => {
    const reason = await fails('empty.csv', patched({ 7: ',i1,1700000000,click', 8: 'u1,i1,1700000000,', 9: 'u1,i1,,click' }), {
      line: 9, column: 'USER_ID', rule: 'empty value, but USER_ID is required', rows: [3, 1200],
    });
    assert.ok(reason.includes('line 10, column EVENT_TYPE: empty value, but EVENT_TYPE is required'), reason);
    assert.ok(reason.includes('line 11, column TIMESTAMP: empty value, but TIMESTAMP is required'), reason);
  });

  it('too-long ID: 257 characters fail, 256 pass; the value is cut short', async () => {
    const reason = await fails('long-id.csv', patched({ 3: `u1,${'x'.repeat(257)},1700000000,click`, 4: `${'y'.repeat(256)},i1,1700000000,click` }), {
      line: 5, column: 'ITEM_ID', value: `${'x'.repeat(40)}…`, rule: 'is 257 characters long; ITEM_ID can have at most 256 characters', rows: [1, 1200],
    });
    assert.ok(!reason.includes('x'.repeat(41)), `the value is cut: ${reason}`);
    assert.ok(!reason.includes('line 6'), `the 256-character USER_ID is valid: ${reason}`);
  });

  it('too many event types: 11 distinct types where EVENT_TYPE leaves room for 9', async () => {
    const types = Array.from({ length: 11 }, (_, i) => `type${i}`);
    const reason = await fails('types.csv', csv(INTERACTIONS_HEADER, interactionRows(1200, 0, types)), {
      // type9 is the 10th distinct type; it first appears on data row 9 = line 11.
      line: 11, column: 'EVENT_TYPE', value: 'type9', rule: "'type9' is distinct event type number 10, but this Interactions schema allows at most 9",
    });
    assert.ok(reason.includes('the data has 11'), reason);
  });

  it('fewer than 1,000 rows', async () => {
    await fails('few.csv', csv(INTERACTIONS_HEADER, interactionRows(999)), {
      rule: `An Interactions import needs at least 1000 records, but s3://${bucket.name}/few.csv has only 999 data rows`,
    });
  });

  it('broken quoting: a quote never closed', async () => {
    await fails('quote.csv', patched({ 20: 'u1,"i1,1700000000,click' }), {
      line: 22, column: 'ITEM_ID', rule: 'a quoted value is not closed on its line', rows: [1, 1200],
    });
  });

  it('invalid UTF-8 bytes in a value', async () => {
    const body = Buffer.from(patched({ 5: 'uXX,i1,1700000000,click' }));
    const at = body.indexOf('uXX,');
    body[at + 1] = 0xff; // 'u\xffX': not UTF-8
    body[at + 2] = 0xfe;
    await fails('utf8.csv', body, { line: 7, column: 'USER_ID', rule: 'the line is not valid UTF-8 text', rows: [1, 1200] });
  });

  it('binary garbage: a whole file of random bytes, and random bytes after a valid header', async () => {
    const noise = garbage(20_000);
    noise[0] = 0xc3; // \xc3 then a non-continuation byte: never UTF-8
    noise[1] = 0x28;
    await fails('garbage.csv', noise, { line: 1, rule: /line 1: the header is not valid UTF-8 text/ });
    const reason = await fails('garbage-rows.csv', Buffer.concat([Buffer.from(`${INTERACTIONS_HEADER}\nu1,i1,1700000000,click\n`), garbage(20_000, 88172645)]), {
      line: 3, rule: /line 3(, column \w+)?: (the line is not valid UTF-8 text|the line contains a carriage return|the line has \d+ columns but the header has 4)/,
    });
    assert.match(reason, /^\d+ of \d+ rows are invalid\. First errors: /);
    assert.match(reason, /; and \d+ more$/);
  });

  it('empty file, and a file with only a header', async () => {
    await fails('empty-file.csv', '', { line: 1, rule: 'the file is empty' });
    await fails('header-only.csv', `${INTERACTIONS_HEADER}\n`, { line: 2, rule: 'the file has a header line but no data rows' });
  });

  it('a folder of two files with different headers names the second file', async () => {
    await bucket.put('two-headers/a.csv', csv(INTERACTIONS_HEADER, interactionRows(600)));
    const swapped = interactionRows(600, 600).map((r) => r.split(',')).map(([u, i, t, e]) => [i, u, t, e].join(','));
    await bucket.put('two-headers/b.csv', csv('ITEM_ID,USER_ID,TIMESTAMP,EVENT_TYPE', swapped));
    await fails('two-headers/b.csv', null, {
      line: 1, rule: `all files of an import must have identical headers; this file has [ITEM_ID, USER_ID, TIMESTAMP, EVENT_TYPE] but s3://${bucket.name}/two-headers/a.csv has [USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE]`,
    }, interactions, `s3://${bucket.name}/two-headers/`);
  });

  it('a good tricky file (BOM, CRLF, quoted commas, "" and \\" escapes) imports, and a too-long categorical value fails after it', async () => {
    const tricky = [
      '\uFEFFITEM_ID,GENRES',
      'i1,"Drama, Comedy"',
      '"i2","He said ""hi"""',
      'i3,"back\\"slash\\" and \\\\ backslash"',
      'i4,Horror|Thriller',
      'i5,',
      'é6,"日本語, ok"',
    ].join('\r\n') + '\r\n';
    await bucket.put('tricky.csv', tricky);
    const ok = await importAndWait(client, items, `s3://${bucket.name}/tricky.csv`);
    assert.equal(ok.status, 'ACTIVE', ok.failureReason);
    const expected = [
      ['ITEM_ID', 'GENRES'],
      ['i1', 'Drama, Comedy'],
      ['i2', 'He said "hi"'],
      ['i3', 'back"slash" and \\ backslash'],
      ['i4', 'Horror|Thriller'],
      ['i5', ''],
      ['é6', '日本語, ok'],
    ];
    const exported = await exportLines(client, bucket, items);
    assert.deepEqual(exported.map(decodeLine), expected, exported.join('\n'));

    await fails('long-cat.csv', csv('ITEM_ID,GENRES', [`i7,${'é'.repeat(1000)}`, `i8,${'a'.repeat(1001)}`]), {
      line: 3, column: 'GENRES', rule: 'Length cannot be more than 1000 characters for GENRES (this value has 1001)', rows: [1, 2],
    }, items);
    assert.deepEqual(await exportLines(client, bucket, items), exported, 'the Items data is unchanged');
  });

  it('every failed job left the Interactions data as the first import made it', async () => {
    const jobs = (await client.send(new ListDatasetImportJobsCommand({ datasetArn: interactions, maxResults: 100 }))).datasetImportJobs ?? [];
    assert.equal(jobs.filter((j) => j.status === 'ACTIVE').length, 1, 'only the first import succeeded');
    const failed = jobs.filter((j) => j.status === 'CREATE FAILED');
    assert.deepEqual(failed.map((j) => j.jobName).sort(), failedJobs.filter((j) => j.datasetArn === interactions).map((j) => j.jobName).sort());
    assert.equal(failed.length, 14);
    assert.ok(failed.every((j) => (j.failureReason ?? '').length > 0), 'List shows each failureReason');
    assert.deepEqual(await exportLines(client, bucket, interactions), [INTERACTIONS_HEADER, ...[...new Set(goodRows)].sort()]);
  });
});
