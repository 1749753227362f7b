// What the data commands of the CLI (validate, import) share: argument parsing, one-line errors,
// the schema file and the --type option, and a progress line that only a terminal sees.
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { datasetTypeFromName, parseSchema, SchemaRuleError } from '../../data/schema/avro-schema-rules.ts';
import type { DatasetType, Domain, ParsedSchema } from '../../data/schema/schema-model.ts';

/** A problem the user can fix (usage, unreadable file, bad schema): one line on stderr, exit 2. */
export class CliError extends Error {}

export const EXIT_USAGE = 2;

/** Output of a command: tests pass their own, the CLI passes process.stdout / stderr. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether `err` is a terminal (progress bars are drawn only then). */
  tty: boolean;
  env: NodeJS.ProcessEnv;
}

export const processIo = (): Io => ({
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  tty: process.stderr.isTTY === true,
  env: process.env,
});

/** Runs a command, turning a CliError (or any error) into one line on stderr and an exit code. */
export async function runCommand(fn: (args: string[], io: Io) => Promise<number>, args: string[], io: Io = processIo()): Promise<number> {
  try {
    return await fn(args, io);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.err(`openpersonalize: ${message.split('\n')[0]}\n`);
    return e instanceof CliError ? EXIT_USAGE : 1;
  }
}

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, command: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    // Node's messages are one line already; point at the help instead of its own hints.
    const m = (e as Error).message.split('. ')[0].replace(/\.$/, '');
    throw new CliError(`${m} (see openpersonalize ${command} --help)`);
  }
}

export function parseDatasetType(value: string | undefined): DatasetType | undefined {
  if (value === undefined) return undefined;
  const t = datasetTypeFromName(value);
  if (!t) throw new CliError(`--type ${value} is not a dataset type; use Interactions, Items, Users, Actions or Action_Interactions`);
  return t;
}

export function parseDomain(value: string | undefined): Domain | undefined {
  if (value === undefined) return undefined;
  const d = value.toUpperCase();
  if (d !== 'ECOMMERCE' && d !== 'VIDEO_ON_DEMAND') throw new CliError(`--domain ${value} must be ECOMMERCE or VIDEO_ON_DEMAND`);
  return d;
}

/** Reads and checks a schema file with the service's own rules; its record must match --type. */
export async function loadSchemaFile(
  path: string,
  type: DatasetType | undefined,
  domain: Domain | undefined,
): Promise<{ json: string; schema: ParsedSchema }> {
  let json: string;
  try {
    json = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read the schema ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let schema: ParsedSchema;
  try {
    schema = parseSchema(json, domain);
  } catch (e) {
    if (e instanceof SchemaRuleError) throw new CliError(`${path}: ${e.message}`);
    throw e;
  }
  if (type && schema.datasetType !== type) {
    throw new CliError(`${path} is a schema for ${schema.datasetType} datasets, but --type is ${type}`);
  }
  return { json, schema };
}

export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;

function duration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

/** One redrawn line on a terminal; nothing at all in a pipe (scripts read only the outcome). */
export class ProgressLine {
  private last = 0;
  private drawn = false;
  constructor(private readonly io: Io) {}

  /** fraction null: unknown (no bar, just the counters). */
  update(
    label: string,
    fraction: number | null,
    details: { bytes?: number; rate?: number; etaSeconds?: number; rows?: number },
    force = false,
  ): void {
    if (!this.io.tty) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const width = 24;
    const bar =
      fraction === null
        ? ''
        : `[${'#'.repeat(Math.round(Math.min(1, fraction) * width)).padEnd(width, '.')}] ${Math.floor(Math.min(1, fraction) * 100)}% `;
    const parts = [
      details.rows !== undefined ? `${details.rows.toLocaleString('en-US')} rows` : '',
      details.bytes !== undefined ? mb(details.bytes) : '',
      details.rate !== undefined ? `${mb(details.rate)}/s` : '',
      details.etaSeconds !== undefined ? `ETA ${duration(details.etaSeconds)}` : '',
    ].filter((p) => p !== '');
    this.io.err(`\r\x1b[2K${label} ${bar}${parts.join(', ')}`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.io.err('\r\x1b[2K');
    this.drawn = false;
  }
}
