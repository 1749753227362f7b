// Parsing a failed import's reason into file/line/column problems (the wording of
// src/data/engine/failure-reason.ts), and finding physical lines in a stream whatever its chunking.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { parseFailureReason, readLines, splitCells } from '../../src/console/failure-lines.ts';
import { formatFailure, formatSingle } from '../../src/data/engine/failure-reason.ts';

describe('failure reasons', () => {
  it('parses what formatFailure writes, the file carried over until it changes', () => {
    const reason = formatFailure(7, 3000, [
      {
        file: 's3://b/a.csv',
        line: 17,
        column: 'TIMESTAMP',
        value: 'abc',
        code: 'not_integer',
        rule: "'abc' is not a whole number (long)",
      },
      { file: 's3://b/a.csv', line: 20, column: 'USER_ID', value: null, code: 'required', rule: 'empty value, but USER_ID is required' },
      {
        file: 's3://b/c.csv',
        line: 3,
        column: null,
        value: null,
        code: 'too_many_values',
        rule: 'the line has 5 columns but the header has 4',
      },
      {
        file: 's3://b/c.csv',
        line: 4,
        column: 'ITEM_ID',
        value: 'x\ny',
        code: 'line_break',
        rule: "'x\\ny' contains a line break; every record must be on one line",
      },
    ]);
    assert.deepEqual(parseFailureReason(reason), [
      { file: 's3://b/a.csv', line: 17, column: 'TIMESTAMP', rule: "'abc' is not a whole number (long)" },
      { file: 's3://b/a.csv', line: 20, column: 'USER_ID', rule: 'empty value, but USER_ID is required' },
      { file: 's3://b/c.csv', line: 3, column: null, rule: 'the line has 5 columns but the header has 4' },
      // A "; " inside a rule does not start a new problem, and "; and 3 more" is not part of the rule.
      { file: 's3://b/c.csv', line: 4, column: 'ITEM_ID', rule: "'x\\ny' contains a line break; every record must be on one line" },
    ]);
  });

  it('parses a whole-file problem and ignores reasons that name no place', () => {
    const single = formatSingle({ file: 's3://b/x.csv', line: 0, column: null, value: null, code: 'empty', rule: 'the file is empty' });
    assert.deepEqual(parseFailureReason(single), [{ file: 's3://b/x.csv', line: 0, column: null, rule: 'the file is empty' }]);
    assert.deepEqual(parseFailureReason('The dataset was deleted before the export ran.'), []);
  });

  it('splits cells on commas outside quotes, escapes included', () => {
    assert.deepEqual(splitCells('a,"b,c",,"d\\"e,f"'), ['a', '"b,c"', '', '"d\\"e,f"']);
  });

  it('finds lines across chunk boundaries, CRLF or LF, and stops after the last one wanted', async () => {
    const text = 'h1,h2\r\nl2a,l2b\nl3\r\n' + 'x'.repeat(10) + '\nlast';
    for (const size of [1, 2, 3, 7, 1000]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(Buffer.from(text.slice(i, i + size)));
      const found = await readLines(Readable.from(chunks), new Set([1, 3, 5]));
      assert.deepEqual(
        [...found],
        [
          [1, 'h1,h2'],
          [3, 'l3'],
          [5, 'last'],
        ],
        `chunk size ${size}`,
      );
    }
    let pulled = 0;
    const endless = Readable.from(
      (function* () {
        for (;;) {
          pulled++;
          yield Buffer.from('row\n');
        }
      })(),
    );
    assert.deepEqual([...(await readLines(endless, new Set([2])))], [[2, 'row']]);
    assert.ok(pulled < 10, 'reading stops at the wanted line');
  });
});
