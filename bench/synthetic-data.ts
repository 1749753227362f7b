// Synthetic Interactions data for the benchmarks: Zipf-distributed users and items, a few event
// types with a skewed mix, increasing timestamps. Written in 16 MB chunks so that generating a
// 10M-row file takes seconds, not the benchmark's whole budget.
import { closeSync, openSync, writeSync } from 'node:fs';

export const INTERACTIONS_HEADER = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE';
const USERS = 1_000_000;
const ITEMS = 200_000;
const EVENT_TYPES = ['click', 'view', 'purchase', 'like', 'share'];
const EVENT_CDF = [0.6, 0.85, 0.93, 0.98, 1];

/** Zipf(s=1)-like rank in [1, n]: inverse of the continuous CDF ln(k)/ln(n). */
function zipf(n: number): number {
  return Math.floor(Math.exp(Math.random() * Math.log(n + 1)));
}

/** Writes ASCII digits of a non-negative integer into buf at pos; returns the new pos. */
function digits(buf: Buffer, pos: number, v: number): number {
  if (v === 0) {
    buf[pos] = 48;
    return pos + 1;
  }
  let len = 0;
  for (let x = v; x > 0; x = Math.floor(x / 10)) len++;
  for (let i = pos + len - 1; i >= pos; i--) {
    buf[i] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return pos + len;
}

export function generateInteractions(path: string, rows: number): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 << 20);
  const user = Buffer.from('user_');
  const item = Buffer.from('item_');
  const types = EVENT_TYPES.map((t) => Buffer.from(`${t}\n`));
  let pos = chunk.write(`${INTERACTIONS_HEADER}\n`);
  for (let i = 0; i < rows; i++) {
    if (pos > chunk.length - 256) {
      writeSync(fd, chunk, 0, pos);
      pos = 0;
    }
    pos += user.copy(chunk, pos);
    pos = digits(chunk, pos, zipf(USERS));
    chunk[pos++] = 44;
    pos += item.copy(chunk, pos);
    pos = digits(chunk, pos, zipf(ITEMS));
    chunk[pos++] = 44;
    pos = digits(chunk, pos, 1_690_000_000 + Math.floor(i / 4));
    chunk[pos++] = 44;
    const r = Math.random();
    let t = 0;
    while (r > EVENT_CDF[t]) t++;
    pos += types[t].copy(chunk, pos);
  }
  writeSync(fd, chunk, 0, pos);
  closeSync(fd);
}
