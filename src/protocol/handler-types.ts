// What an operation handler sees: its validated input and who is calling, in which region.

export interface RequestContext {
  account: string;
  region: string;
  requestId: string;
}

// Handlers are typed with the AWS SDK's generated request/response types (which come from the
// same Smithy model); the table itself is keyed by operation name and checked against the model
// at start-up, so `any` here loses nothing that the pipeline does not check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (input: any, ctx: RequestContext) => Promise<unknown>;
export type HandlerTable = Record<string, Handler>;
