// The AWS JSON 1.1 pipeline for one service: route by X-Amz-Target, parse, validate against the
// model, invoke the handler, serialize the output through the model. Authentication happens
// before this (it is the same for every protocol); errors are rendered by renderError.
import type { HandlerTable, RequestContext } from './handler-types.ts';
import { validateInput } from './input-validation.ts';
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

  constructor(
    readonly model: ServiceModel,
    private readonly handlers: HandlerTable,
  ) {
    this.prefix = `${model.metadata.targetPrefix}.`;
    for (const name of Object.keys(handlers)) {
      if (!model.operations[name]) throw new Error(`handler ${name} is not an operation of ${model.metadata.targetPrefix}`);
    }
  }

  /** Which operation a target header names, or a ServiceError saying why none. */
  resolve(target: string | undefined): string {
    if (!target) throw new ServiceError('UnknownOperationException', 'Missing X-Amz-Target header: name the operation as AmazonPersonalize.<Operation>.');
    const name = target.startsWith(this.prefix) ? target.slice(this.prefix.length) : undefined;
    if (!name || !this.model.operations[name]) {
      throw new ServiceError('UnknownOperationException', `Unknown operation ${target}: ${this.model.metadata.targetPrefix} has no such operation.`);
    }
    return name;
  }

  async invoke(operationName: string, body: Buffer, ctx: RequestContext): Promise<ProtocolResponse> {
    return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: await runOperation(this.model, this.handlers, operationName, body, ctx) };
  }

}

/**
 * The part both JSON protocols share (JSON 1.1 and rest-json, whose operations all take a JSON
 * body here): parse, validate against the model, invoke, serialize through the model.
 */
export async function runOperation(model: ServiceModel, handlers: HandlerTable, operationName: string, body: Buffer, ctx: RequestContext): Promise<string> {
  const operation = model.operations[operationName];
  const handler = handlers[operationName];
  if (!handler) {
    throw new ServiceError('NotImplementedException', `${operationName} is part of the Amazon Personalize API but is not implemented by openpersonalize yet.`, 501);
  }
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
