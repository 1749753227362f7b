// The AWS JSON 1.1 pipeline for one service: route by X-Amz-Target, parse, validate against the
// model, invoke the handler, serialize the output through the model. Authentication happens
// before this (it is the same for every protocol); errors are rendered by renderError.
import type { HandlerTable, RequestContext } from './handler-types.ts';
import { validateInput } from './input-validation.ts';
import { OperationTable } from './operation-table.ts';
import { serializeOutput } from './output-serialization.ts';
import { serialization, ServiceError } from './service-error.ts';
import type { ServiceModel } from './service-model.ts';

export interface ProtocolResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export class JsonService {
  private readonly prefix: string;
  private readonly table: OperationTable;

  /** `handlers` must hold exactly the operations claimed in src/api/implemented-operations.json. */
  constructor(
    readonly model: ServiceModel,
    handlers: HandlerTable,
  ) {
    this.prefix = `${model.metadata.targetPrefix}.`;
    this.table = new OperationTable(model, handlers);
  }

  /** Which operation a target header names, or a ServiceError saying why none. */
  resolve(target: string | undefined): string {
    if (!target)
      throw new ServiceError(
        'UnknownOperationException',
        'Missing X-Amz-Target header: name the operation as AmazonPersonalize.<Operation>.',
      );
    const name = target.startsWith(this.prefix) ? target.slice(this.prefix.length) : undefined;
    if (!name || !this.model.operations[name]) {
      throw new ServiceError(
        'UnknownOperationException',
        `Unknown operation ${target}: ${this.model.metadata.targetPrefix} has no such operation.`,
      );
    }
    return name;
  }

  async invoke(operationName: string, body: Buffer, ctx: RequestContext): Promise<ProtocolResponse> {
    return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: await runOperation(this.table, operationName, body, ctx) };
  }
}

/**
 * The part both JSON protocols share (JSON 1.1 and rest-json, whose operations all take a JSON
 * body here): parse, validate against the model, invoke, serialize through the model.
 */
export async function runOperation(table: OperationTable, operationName: string, body: Buffer, ctx: RequestContext): Promise<string> {
  const { model } = table;
  const operation = model.operations[operationName];
  // Before the body is parsed, as before: a not-implemented operation is 501 whatever the body.
  const handler = table.handler(operationName);
  let input: unknown = {};
  const text = body.toString('utf8').trim();
  if (text.length > 0) {
    try {
      input = JSON.parse(text);
    } catch (e) {
      throw serialization(`The request body is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (operation.input) validateInput(model, operation.input.shape, input);
  const output = await handler(input, ctx);
  const serialized = operation.output ? serializeOutput(model, operation.output.shape, output ?? {}) : {};
  return JSON.stringify(serialized ?? {});
}

export function renderJsonError(error: ServiceError): ProtocolResponse {
  return {
    status: error.status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}
