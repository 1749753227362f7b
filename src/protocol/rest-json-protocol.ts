// The rest-json pipeline (personalize-events, later personalize-runtime): route by method and
// path from the model's `http` traits, parse the JSON body, validate it against the model (the
// same validator as the control plane), invoke, serialize through the model. Errors carry the
// HTTP status their shape declares in the model (InvalidInputException 400,
// ResourceNotFoundException 404, ResourceInUseException 409) and the rest-json error form the
// AWS SDKs parse: an x-amzn-ErrorType header and a JSON body with `message`.
import type { HandlerTable, RequestContext } from './handler-types.ts';
import { runOperation, type ProtocolResponse } from './json-protocol.ts';
import { OperationTable } from './operation-table.ts';
import { ServiceError } from './service-error.ts';
import type { ServiceModel } from './service-model.ts';

const CONTENT_TYPE = 'application/json';

export class RestJsonService {
  private readonly byRoute = new Map<string, string>();
  private readonly table: OperationTable;

  /** `handlers` must hold exactly the operations claimed in src/api/implemented-operations.json. */
  constructor(
    readonly model: ServiceModel,
    handlers: HandlerTable,
  ) {
    for (const [name, op] of Object.entries(model.operations)) byRoute(this.byRoute, op.http.method, op.http.requestUri, name);
    this.table = new OperationTable(model, handlers);
  }

  /** The operation at this method and path, or undefined (the request is not for this API). */
  resolve(method: string, rawPath: string): string | undefined {
    return this.byRoute.get(`${method} ${rawPath}`);
  }

  async invoke(operationName: string, body: Buffer, ctx: RequestContext): Promise<ProtocolResponse> {
    const status = this.model.operations[operationName].http.responseCode ?? 200;
    return { status, headers: { 'content-type': CONTENT_TYPE }, body: await runOperation(this.table, operationName, body, ctx) };
  }

  /** The HTTP status this API answers the error with: the model's, for the errors it declares. */
  statusOf(error: ServiceError): number {
    return this.model.shapes[error.code]?.error?.httpStatusCode ?? error.status;
  }

  renderError(error: ServiceError): ProtocolResponse {
    const status = this.statusOf(error);
    return {
      status,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': error.code },
      body: JSON.stringify({ message: error.message }),
    };
  }
}

function byRoute(map: Map<string, string>, method: string, requestUri: string, name: string): void {
  // The events and runtime APIs have fixed paths (no {labels}, no query); say so if that changes.
  if (/[{?]/.test(requestUri)) throw new Error(`rest-json route ${requestUri} of ${name} has labels or a query, which are not supported`);
  map.set(`${method} ${requestUri}`, name);
}
