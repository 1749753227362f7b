// CSV text for the tests: the Interactions headers, the CSV writer and the deterministic row
// generators, each named for the columns it makes. One module, so that every test (API, CLI,
// engine, console, scale-out) writes its data the same way.

/** The four columns of the harness's Interactions schema (minimalSchemas.interactions). */
export const INTERACTIONS_HEADER_4 = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE';

/** The engine tests' Interactions columns: the four, then a nullable float EVENT_VALUE. */
export const INTERACTIONS_HEADER_WITH_VALUE = `${INTERACTIONS_HEADER_4},EVENT_VALUE`;

/** A CSV file: the header, then one row per line, every line ending in '\n' (header only when rows is empty). */
export function csv(header: string, rows: string[]): string {
  return [header, ...rows].join('\n') + '\n';
}

/**
 * n rows of INTERACTIONS_HEADER_4 (no header), deterministic: user u{i % 97}, item i{i % 301},
 * timestamp 1700000000 + i, the types in turn (i = offset + k).
 */
export function interactionRows4(n: number, offset = 0, types = ['click', 'purchase']): string[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    return `u${i % 97},i${i % 301},${1_700_000_000 + i},${types[i % types.length]}`;
  });
}

/**
 * n rows of INTERACTIONS_HEADER_WITH_VALUE (no header): u{i % users}, i{i % 97}, increasing
 * timestamps, the types in turn, and an EVENT_VALUE that is empty for every third row.
 */
export function interactionRowsWithValue(n: number, o: { start?: number; users?: number; types?: string[] } = {}): string[] {
  const types = o.types ?? ['click', 'view'];
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const i = (o.start ?? 0) + k;
    out.push(`u${i % (o.users ?? 50)},i${i % 97},${1700000000 + i},${types[i % types.length]},${i % 3 === 0 ? '' : (i % 10) / 2}`);
  }
  return out;
}

const DAY = 86_400;
/** 2023-11-15T00:00:00Z: trafficRows4 spreads its rows over this day and the 8 after it. */
export const TRAFFIC_FIRST_DAY = 1_700_006_400;

/**
 * n rows of INTERACTIONS_HEADER_4 shaped like real traffic (a few heavy users and a long tail,
 * popular items, several event types over 9 days), deterministic (xorshift32 from `seed`), and
 * then 3 exact duplicates of rows 1-3 (n + 3 rows in all).
 */
export function trafficRows4(n: number, seed = 88172645): string[] {
  let x = seed;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  const types = ['click', 'click', 'click', 'view', 'view', 'purchase'];
  const rows = Array.from({ length: n }, (_, k) => {
    const user = `u${Math.floor(300 * rand() ** 3)}`; // cubed: few users get most interactions
    const item = `i${Math.floor(150 * rand() ** 2)}`;
    const ts = TRAFFIC_FIRST_DAY + (k % 9) * DAY + Math.floor(rand() * DAY);
    return `${user},${item},${ts},${types[Math.floor(rand() * types.length)]}`;
  });
  return [...rows, rows[1], rows[2], rows[3]];
}

/**
 * n distinct 'view' rows of INTERACTIONS_HEADER_4 for big imports: user{j % 50000},
 * item{(j * 7) % 80000}, timestamp 1600000000 + j (j = offset + k).
 */
export function viewRows4(n: number, offset = 0): string[] {
  return Array.from(
    { length: n },
    (_, k) => `user${(k + offset) % 50_000},item${((k + offset) * 7) % 80_000},${1_600_000_000 + k + offset},view`,
  );
}
