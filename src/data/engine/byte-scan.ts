// The fast path's byte pre-scan: what the files hold, found with memchr / memmem, so that the
// single COPY leaves out checks that cannot fire (cell-rules.ts ByteFacts). A backslash ends it:
// such files take the canonical path, which checks everything. Reading the bytes costs more than
// all the searches (~0.05 s per 200 MB), so validate.ts scans a file's first chunk before the COPY
// and the rest while the COPY runs, and repeats the COPY in the rare case that the rest adds a fact.
import { open } from 'node:fs/promises';
import { ANY_BYTES, SPACE_BYTES, type ByteFacts } from './cell-rules.ts';
import type { CsvSource } from './types.ts';

export interface ByteScan {
  /** A backslash occurs (maybe a \" or \\ escape): then `bytes` is ANY_BYTES. */
  escapes: boolean;
  bytes: ByteFacts;
}

const CHUNK = 4 << 20;
const BACKSLASH = 0x5c;

/**
 * Scans the first chunk of every file ('head') or all that follows it ('rest'). `keywords`: the
 * reserved keywords of the dataset type, searched for after the header line, which names columns.
 */
export async function scanBytes(sources: CsvSource[], keywords: string[], part: 'head' | 'rest'): Promise<ByteScan> {
  const buf = Buffer.alloc(CHUNK);
  const bytes: ByteFacts = { nul: false, keywords: false, quote: false, spaces: [] };
  const spaces = new Set<number>();
  // Chunks overlap by a keyword's length, less one, so that no keyword is cut in two.
  const overlap = Math.max(0, ...keywords.map((k) => k.length - 1));
  for (const s of sources) {
    const fh = await open(s.path, 'r');
    try {
      for (let pos = part === 'head' ? 0 : CHUNK - overlap; ;) {
        const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
        if (bytesRead === 0) break;
        const chunk = buf.subarray(0, bytesRead);
        if (chunk.indexOf(BACKSLASH) >= 0) return { escapes: true, bytes: ANY_BYTES };
        bytes.nul ||= chunk.indexOf(0) >= 0;
        bytes.quote ||= chunk.indexOf(0x22) >= 0;
        for (const b of SPACE_BYTES) if (!spaces.has(b) && chunk.indexOf(b) >= 0) spaces.add(b);
        const data = pos === 0 ? chunk.indexOf(0x0a) + 1 || bytesRead : 0;
        bytes.keywords ||= keywords.some((k) => chunk.indexOf(k, data, 'latin1') >= 0);
        if (part === 'head' || bytesRead < CHUNK) break;
        pos += bytesRead - overlap;
      }
    } finally {
      await fh.close();
    }
  }
  bytes.spaces = [...spaces];
  return { escapes: false, bytes };
}

/** What two scans of parts of the same files found together. */
export function mergeScans(a: ByteScan, b: ByteScan): ByteScan {
  if (a.escapes || b.escapes) return { escapes: true, bytes: ANY_BYTES };
  const spaces = [...new Set([...a.bytes.spaces, ...b.bytes.spaces])];
  const bytes: ByteFacts = {
    nul: a.bytes.nul || b.bytes.nul,
    keywords: a.bytes.keywords || b.bytes.keywords,
    quote: a.bytes.quote || b.bytes.quote,
    spaces,
  };
  return { escapes: false, bytes };
}

/** Whether checks made for `made` cover every byte `found` holds. */
export function covers(made: ByteFacts, found: ByteFacts): boolean {
  return (
    (made.nul || !found.nul) &&
    (made.keywords || !found.keywords) &&
    (made.quote || !found.quote) &&
    found.spaces.every((b) => made.spaces.includes(b))
  );
}
