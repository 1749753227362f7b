// The model artifact container: sections come back bit for bit, whatever their alignment, and
// a foreign, truncated or other-recipe buffer is refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSection, readArtifact, section, writeArtifact } from '../../src/training/models/artifact.ts';

describe('model artifact', () => {
  const buf = writeArtifact(
    'aws-x',
    { a: 1, nested: { b: 'c' } },
    {
      ids: { json: ['x', 'ü', 'line\nbreak'] },
      f32: Float32Array.of(1.5, -2, Math.PI),
      f64: Float64Array.of(Math.E, -0, Number.MAX_VALUE),
      i32: Int32Array.of(-1, 2 ** 31 - 1),
      u8: Uint8Array.of(7),
      empty: new Float32Array(0),
    },
  );

  it('reads back every section and the meta', () => {
    for (const b of [buf, Buffer.concat([Buffer.alloc(3), buf]).subarray(3)]) {
      const a = readArtifact(b, 'aws-x');
      assert.deepEqual(a.meta, { a: 1, nested: { b: 'c' } });
      assert.deepEqual(jsonSection(a, 'ids'), ['x', 'ü', 'line\nbreak']);
      assert.deepEqual(section(a, 'f32', Float32Array), Float32Array.of(1.5, -2, Math.PI));
      assert.deepEqual(section(a, 'f64', Float64Array), Float64Array.of(Math.E, -0, Number.MAX_VALUE));
      assert.deepEqual(section(a, 'i32', Int32Array), Int32Array.of(-1, 2 ** 31 - 1));
      assert.deepEqual(section(a, 'u8', Uint8Array), Uint8Array.of(7));
      assert.equal(section(a, 'empty', Float32Array).length, 0);
    }
  });

  it('records the offsets its sections are written at, whatever the header size (offsets crossing a digit or 8-byte boundary)', () => {
    for (let n = 0; n < 400; n++) {
      const ids = Array.from({ length: n }, (_, i) => `id${i}`);
      const sizes = [n * 37, (n * 13) % 101, 0, n];
      const sections = {
        ids: { json: ids },
        a: Float32Array.from({ length: sizes[0] }, (_, i) => i),
        b: Int32Array.from({ length: sizes[1] }, (_, i) => -i),
        empty: { json: [] },
        none: new Int32Array(0),
        c: Float64Array.from({ length: sizes[3] }, (_, i) => i / 3),
      };
      const a = readArtifact(writeArtifact('aws-x', { n }, sections), 'aws-x');
      assert.deepEqual(jsonSection(a, 'ids'), ids);
      assert.deepEqual(jsonSection(a, 'empty'), []);
      assert.deepEqual(section(a, 'a', Float32Array), sections.a);
      assert.deepEqual(section(a, 'b', Int32Array), sections.b);
      assert.deepEqual(section(a, 'c', Float64Array), sections.c);
      assert.equal(section(a, 'none', Int32Array).length, 0);
    }
  });

  it('refuses other recipes, wrong types, truncation and foreign bytes', () => {
    assert.throws(() => readArtifact(buf, 'aws-y'), /recipe aws-x/);
    assert.throws(() => section(readArtifact(buf), 'f32', Int32Array), /not a Int32Array/);
    assert.throws(() => readArtifact(buf.subarray(0, buf.length - 8)), /truncated/);
    assert.throws(() => readArtifact(Buffer.from('{"json": true}')), /not a model artifact/);
  });
});
