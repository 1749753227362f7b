// A kind's statuses as one declared table, in the spirit of moto's ManagedState: the status a new
// resource starts in, and for every status the statuses the service may move it to. A status
// with no way out is final (a finished job). Being data, the table can be checked as a whole
// (test/resources/status-tables.test.ts: every status reachable, none a dead end), and a write
// the table does not declare is a bug that fails loudly instead of showing on the wire.
//
// src/jobs/ imports this file, so it imports nothing from src/ (a dependency rule checks both).

export interface StatusTable<S extends string = string> {
  /** The kind whose statuses these are (its catalog kind); named in assertMove's error. */
  readonly kind: string;
  readonly initial: S;
  /** Every status, in the order the table declares them. */
  readonly states: readonly S[];
  readonly transitions: { readonly [K in S]: readonly S[] };
}

/** The statuses of a table, e.g. StatusOf<typeof DATASET_STATUSES>. */
export type StatusOf<T> = T extends StatusTable<infer S> ? S : never;

/**
 * Every status is a key, final ones mapping to [], so that a misspelt target is a type error
 * rather than a new final status nobody meant.
 */
export function defineStatuses<const T extends { readonly [K in keyof T]: readonly (keyof T & string)[] }>(o: {
  kind: string;
  initial: keyof T & string;
  transitions: T;
}): StatusTable<keyof T & string> {
  const states = Object.keys(o.transitions) as (keyof T & string)[];
  if (!states.includes(o.initial)) throw new Error(`The status table of ${o.kind} does not declare its initial status ${o.initial}.`);
  return { kind: o.kind, initial: o.initial, states, transitions: o.transitions as StatusTable<keyof T & string>['transitions'] };
}

/** Whether s is a status of the table (the catalog and the API hand statuses over as plain strings). */
export function isStatus<S extends string>(table: StatusTable<S>, s: string | null | undefined): s is S {
  return typeof s === 'string' && Object.hasOwn(table.transitions, s);
}

/** True if the resource has the status `expected`; the table only checks `expected` at compile time. */
export function hasStatus<S extends string>(table: StatusTable<S>, resource: { status?: string | null } | undefined, expected: S): boolean {
  return resource?.status === expected;
}

export function isFinal(table: StatusTable, s: string | null | undefined): boolean {
  return isStatus(table, s) && table.transitions[s].length === 0;
}

/** The statuses with a way out, in table order: what "pending or in progress" counts and limits mean. */
export function unfinished<S extends string>(table: StatusTable<S>): S[] {
  return table.states.filter((s) => table.transitions[s].length > 0);
}

/** Keeping the status (a progress write) is always a declared move. */
export function canMove<S extends string>(table: StatusTable<S>, from: string | null | undefined, to: S): boolean {
  if (!isStatus(table, to) || !isStatus(table, from)) return false;
  return from === to || table.transitions[from].includes(to);
}

/** Throws an internal error (never a client's fault) when the service tries a move the table does not declare. */
export function assertMove<S extends string>(table: StatusTable<S>, from: string | null | undefined, to: S): void {
  if (!canMove(table, from, to)) {
    throw new Error(`Internal error: the status table of ${table.kind} declares no move from ${from ?? '(no status)'} to ${to}.`);
  }
}

/** The record moved to `to`, checked against the table (for handlers that change a status themselves). */
export function withStatus<S extends string, R extends { status: string | null; updatedAt: number }>(
  table: StatusTable<S>,
  record: R,
  to: S,
  now: number,
): R {
  assertMove(table, record.status, to);
  return { ...record, status: to, updatedAt: now };
}
