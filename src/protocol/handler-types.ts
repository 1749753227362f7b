// What an operation handler sees: its validated input and who is calling, in which region.

export interface RequestContext {
  account: string;
  region: string;
  requestId: string;
}

// Handlers are typed by src/api/<service>-handlers.ts, generated from the same botocore models the
// pipeline validates against. The generic pipeline only needs a table keyed by operation name,
// which it checks against the model and the claimed operations at start-up, so `any` here loses
// nothing that the pipeline does not check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (input: any, ctx: RequestContext) => Promise<unknown>;
export type HandlerTable = Record<string, Handler>;

type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void ? I : never;

/**
 * One table from the handler tables of several resource families. An operation given by two
 * families is a wiring mistake that object spread would hide (the later one silently wins), so it
 * throws at start-up. The result's type is the intersection of the parts' types, so assigning it
 * to e.g. PersonalizeHandlers fails to compile when a claimed operation has no handler.
 */
export function mergeHandlers<const Parts extends readonly HandlerTable[]>(...parts: Parts): Intersection<Parts[number]> {
  const merged: HandlerTable = {};
  const from = new Map<string, number>();
  parts.forEach((part, i) => {
    for (const [name, handler] of Object.entries(part)) {
      const first = from.get(name);
      if (first !== undefined) {
        throw new Error(`mergeHandlers: operation ${name} is given twice, by part ${first + 1} and by part ${i + 1}`);
      }
      from.set(name, i);
      merged[name] = handler;
    }
  });
  return merged as Intersection<Parts[number]>;
}
