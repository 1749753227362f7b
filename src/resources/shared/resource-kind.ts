// What the service knows of a kind of resource apart from its handlers: its catalog kind (also
// the ARN's resource type), its name in messages, its status table and how the rest of the
// service treats it. Each family declares its kind once, in resources/<family>/<family>-record.ts;
// the catalog stores kinds as plain strings and never needs to know the list.
//
// defineKind also records the definition, so that code which meets a kind only as a stored
// string (tagging by ARN, metrics by kind, the console's job lists) can look it up. A family's
// record file is loaded with its handlers (composition/families.ts imports every family), so
// the registry holds every kind the service serves before the first request.
import type { StatusTable } from './status-table.ts';

/** The web console's name for a kind of job (JobSummary.kind in console/console-api-types.ts). */
export type ConsoleJobKind = 'import' | 'export' | 'deletion';

export interface ResourceKindDefinition<S extends string = string> {
  /** The catalog kind and the ARN's resource type, e.g. 'dataset-group'. */
  readonly kind: string;
  /** Its name in error messages, e.g. 'dataset group'. */
  readonly label: string;
  readonly statuses: StatusTable<S>;
  /** TagResource and friends refuse the kind when false (rules.md §12: schemas, metric attributions). */
  readonly taggable: boolean;
  /**
   * Set for kinds whose resources are jobs that workers take from the queue (metrics count them by
   * state); `console` for those the web console lists.
   */
  readonly job?: { readonly console?: ConsoleJobKind };
}

const DEFINED = new Map<string, ResourceKindDefinition>();

export function defineKind<S extends string>(d: {
  kind: string;
  label: string;
  statuses: StatusTable<S>;
  taggable?: boolean;
  job?: { console?: ConsoleJobKind };
}): ResourceKindDefinition<S> {
  if (d.statuses.kind !== d.kind) throw new Error(`The kind ${d.kind} was given the status table of ${d.statuses.kind}.`);
  if (DEFINED.has(d.kind)) throw new Error(`The kind ${d.kind} is defined twice.`);
  const definition: ResourceKindDefinition<S> = {
    kind: d.kind,
    label: d.label,
    statuses: d.statuses,
    taggable: d.taggable ?? true,
    job: d.job,
  };
  DEFINED.set(d.kind, definition);
  return definition;
}

/** The definition of a stored kind; an internal error for a kind no family declares. */
export function kindDefinition(kind: string): ResourceKindDefinition {
  const definition = DEFINED.get(kind);
  if (!definition) throw new Error(`Internal error: no resource family declares the kind ${kind}.`);
  return definition;
}

/** Every defined kind, in the order their record files were loaded. */
export function definedKinds(): ResourceKindDefinition[] {
  return [...DEFINED.values()];
}

/** The kinds that are jobs run by workers. */
export function jobKinds(): ResourceKindDefinition[] {
  return definedKinds().filter((d) => d.job);
}
