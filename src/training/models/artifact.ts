// The artifact container every built-in model in this folder serializes to: a JSON header plus
// typed-array sections, so that a model with millions of floats loads without parsing them.
//
// Layout (integers little-endian):
//   0..3     magic "OPMA"
//   4..7     u32 container version (1)
//   8..11    u32 header length H in bytes
//   12..     H bytes of UTF-8 JSON (trailing spaces allowed):
//            { "recipe": string, "meta": {...model-specific JSON...},
//              "sections": [{ "name": string, "type": "f32"|"f64"|"i32"|"u8"|"json", "offset": n, "length": n }] }
//   then the sections' bytes. `offset` is absolute and a multiple of 8; `length` counts elements
//   (bytes for "u8" and "json"). A "json" section holds UTF-8 JSON (used for ID lists).
// Each model file documents its own `meta` keys and sections at its top.

const MAGIC = 0x414d504f; // "OPMA" read as a little-endian u32
const VERSION = 1;

export type Section = Float32Array | Float64Array | Int32Array | Uint8Array | { json: unknown };

interface SectionEntry {
  name: string;
  type: 'f32' | 'f64' | 'i32' | 'u8' | 'json';
  offset: number;
  length: number;
}

export interface Artifact {
  recipe: string;
  meta: Record<string, unknown>;
  sections: Map<string, Section>;
}

function typeOf(s: Section): SectionEntry['type'] {
  if (s instanceof Float32Array) return 'f32';
  if (s instanceof Float64Array) return 'f64';
  if (s instanceof Int32Array) return 'i32';
  if (s instanceof Uint8Array) return 'u8';
  return 'json';
}

export function writeArtifact(recipe: string, meta: Record<string, unknown>, sections: Record<string, Section>): Buffer {
  const bodies: Buffer[] = [];
  const entries: SectionEntry[] = [];
  for (const [name, s] of Object.entries(sections)) {
    const type = typeOf(s);
    const bytes =
      type === 'json'
        ? Buffer.from(JSON.stringify((s as { json: unknown }).json), 'utf8')
        : Buffer.from((s as Uint8Array).buffer, (s as Uint8Array).byteOffset, (s as Uint8Array).byteLength);
    const length = type === 'json' || type === 'u8' ? bytes.length : (s as Float32Array).length;
    entries.push({ name, type, offset: 0, length });
    bodies.push(bytes);
  }
  // The header's size depends on the offsets it records: place the sections after a header room
  // of `room` bytes, and grow the room until the header fits in it (padded with spaces, which
  // JSON.parse skips). Offsets only grow with the room, so this ends; one or two passes in practice.
  let header = Buffer.alloc(0);
  for (let room = Buffer.byteLength(JSON.stringify({ recipe, meta, sections: entries }), 'utf8'); ;) {
    let pos = align8(12 + room);
    for (let i = 0; i < entries.length; i++) {
      entries[i].offset = pos;
      pos = align8(pos + bodies[i].length);
    }
    header = Buffer.from(JSON.stringify({ recipe, meta, sections: entries }), 'utf8');
    if (header.length <= room) {
      header = Buffer.concat([header, Buffer.alloc(room - header.length, 0x20)]);
      break;
    }
    room = header.length;
  }
  const total = entries.length ? align8(entries[entries.length - 1].offset + bodies[bodies.length - 1].length) : 12 + header.length;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  for (let i = 0; i < entries.length; i++) bodies[i].copy(out, entries[i].offset);
  return out;
}

export function readArtifact(buf: Buffer, expectRecipe?: string): Artifact {
  if (buf.length < 12 || buf.readUInt32LE(0) !== MAGIC) throw new Error('not a model artifact');
  if (buf.readUInt32LE(4) !== VERSION) throw new Error(`unsupported model artifact version ${buf.readUInt32LE(4)}`);
  const h = buf.readUInt32LE(8);
  const header = JSON.parse(buf.subarray(12, 12 + h).toString('utf8')) as {
    recipe: string;
    meta: Record<string, unknown>;
    sections: SectionEntry[];
  };
  if (expectRecipe !== undefined && header.recipe !== expectRecipe) {
    throw new Error(`artifact is for recipe ${header.recipe}, not ${expectRecipe}`);
  }
  const sections = new Map<string, Section>();
  for (const e of header.sections) {
    const size = { f32: 4, f64: 8, i32: 4, u8: 1, json: 1 }[e.type];
    if (e.offset + e.length * size > buf.length) throw new Error(`artifact section ${e.name} is truncated`);
    // Copy out: the Buffer may sit at any alignment inside a pooled ArrayBuffer.
    const bytes = new Uint8Array(buf.subarray(e.offset, e.offset + e.length * size));
    if (e.type === 'json') sections.set(e.name, { json: JSON.parse(Buffer.from(bytes).toString('utf8')) });
    else if (e.type === 'f32') sections.set(e.name, new Float32Array(bytes.buffer));
    else if (e.type === 'f64') sections.set(e.name, new Float64Array(bytes.buffer));
    else if (e.type === 'i32') sections.set(e.name, new Int32Array(bytes.buffer));
    else sections.set(e.name, bytes);
  }
  return { recipe: header.recipe, meta: header.meta, sections };
}

/** Typed accessors that fail loudly when a section is missing or of another type. */
export function section<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(
  a: Artifact,
  name: string,
  type: new (n: number) => T,
): T {
  const s = a.sections.get(name);
  if (!(s instanceof type)) throw new Error(`artifact section ${name} is missing or not a ${type.name}`);
  return s;
}

export function jsonSection<T>(a: Artifact, name: string): T {
  const s = a.sections.get(name);
  if (!s || !('json' in s)) throw new Error(`artifact section ${name} is missing`);
  return s.json as T;
}

/** n rounded up to a multiple of 8 (arithmetic, not bit operations: artifacts may pass 2 GiB). */
function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
