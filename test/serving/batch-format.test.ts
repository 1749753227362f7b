// The pieces of batch output that the API tests cannot reach with small data: scores written as
// Java writes doubles (rule 7: `3.773E-4`, `7.17E-5`, `3.1E-5` in AWS's batch files), the
// observed segment line form (rule 114), and the parsing of itemAttributes queries (rule 113).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferenceErrorLine, inferenceLine, javaDouble, segmentErrorLine, segmentLine } from '../../src/serving/batch-format.ts';
import { LineError } from '../../src/serving/batch-lines.ts';
import { parseItemAttributes } from '../../src/serving/batch-segment-work.ts';

describe('batch output lines', () => {
  it('doubles as Java prints them: plain from 10^-3 to 10^7, else d.dddE±n, always a fractional digit', () => {
    const cases: [number, string][] = [
      [3.773e-4, '3.773E-4'],
      [7.17e-5, '7.17E-5'],
      [3.1e-5, '3.1E-5'],
      [1e-7, '1.0E-7'],
      [0.0149095, '0.0149095'],
      [0.8449224, '0.8449224'],
      [0.001, '0.001'],
      [1, '1.0'],
      [0, '0.0'],
      [12345678, '1.2345678E7'],
      [-2.5e-4, '-2.5E-4'],
    ];
    for (const [x, s] of cases) assert.equal(javaDouble(x), s, `${x}`);
    // Every output reads back as the same number.
    for (const [x] of cases) assert.equal(Number(javaDouble(x)), x);
  });

  it('inference lines are compact; segment lines have the observed spacing', () => {
    assert.equal(
      inferenceLine({ userId: '4016' }, { recommendedItems: ['1', '2'], scores: [0.8449224, 3.773e-4] }),
      '{"input":{"userId":"4016"},"output":{"recommendedItems":["1","2"],"scores":[0.8449224,3.773E-4]},"error":null}',
    );
    assert.equal(
      inferenceLine({ itemId: '105' }, { recommendedItems: ['106'], theme: 'Rise and shine', itemsThemeRelevanceScores: [0.41] }),
      '{"input":{"itemId":"105"},"output":{"recommendedItems":["106"],"theme":"Rise and shine","itemsThemeRelevanceScores":[0.41]},"error":null}',
    );
    assert.equal(inferenceErrorLine('oops', 'bad'), '{"input":"oops","output":null,"error":"bad"}');
    assert.equal(
      segmentLine({ itemId: '1' }, ['61', '22', '57']),
      '{"input": {"itemId": "1"}, "output": {"usersList": ["61","22","57"]}, "error": null}',
    );
    assert.equal(
      segmentLine({ itemAttributes: 'ITEMS.CATEGORY_L1 = "tools"' }, ['2131']),
      '{"input": {"itemAttributes": "ITEMS.CATEGORY_L1 = \\"tools\\""}, "output": {"usersList": ["2131"]}, "error": null}',
    );
    assert.equal(
      segmentErrorLine({ itemId: '1', filterValues: { A: '"x"' } }, 'no'),
      '{"input": {"itemId": "1", "filterValues": {"A": "\\"x\\""}}, "output": null, "error": "no"}',
    );
  });

  it('itemAttributes: ITEMS.<column> = "<value>" joined by AND, in any case; nothing else', () => {
    assert.deepEqual(parseItemAttributes('ITEMS.genres = "Comedy" AND ITEMS.genres = "Action"'), [
      { name: 'genres', value: 'Comedy' },
      { name: 'genres', value: 'Action' },
    ]);
    assert.deepEqual(parseItemAttributes('items.SIZE="L" and COLOR = "say \\"red\\""'), [
      { name: 'SIZE', value: 'L' },
      { name: 'COLOR', value: 'say "red"' },
    ]);
    // AND inside a quoted value is part of the value, in any case.
    assert.deepEqual(parseItemAttributes('ITEMS.CATEGORY = "Salt and Pepper" AND ITEMS.BRAND = "Ben AND Jerry"'), [
      { name: 'CATEGORY', value: 'Salt and Pepper' },
      { name: 'BRAND', value: 'Ben AND Jerry' },
    ]);
    assert.throws(() => parseItemAttributes('ITEMS.BRAND = "x" AND'), /ends with AND/);
    assert.throws(() => parseItemAttributes('ITEMS.BRAND = "x" OR ITEMS.BRAND = "y"'), /is not one/);
    for (const bad of ['ITEMS.genres != "Comedy"', 'ITEMS.genres = "A" OR ITEMS.genres = "B"', 'ITEMS.PRICE < "5"', 'genres = Comedy'])
      assert.throws(() => parseItemAttributes(bad), LineError, bad);
  });
});
