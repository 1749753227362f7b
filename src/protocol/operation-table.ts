// The handlers of one service, checked at start-up against the model and against the operations
// claimed in src/api/implemented-operations.json (through the generated OPERATION_COVERAGE): the
// table must hold exactly the claimed operations. The rest of the model answers 501.
import { OPERATION_COVERAGE } from '../api/operation-coverage.ts';
import type { Handler, HandlerTable } from './handler-types.ts';
import { ServiceError } from './service-error.ts';
import type { ServiceModel } from './service-model.ts';

const CLAIMS = 'src/api/implemented-operations.json';

export class OperationTable {
  private readonly notImplemented: ReadonlySet<string>;

  constructor(
    readonly model: ServiceModel,
    private readonly handlers: HandlerTable,
  ) {
    const service = model.metadata.uid;
    const coverage = OPERATION_COVERAGE[service];
    if (!coverage)
      throw new Error(`${service}: no generated API coverage for this model (src/api/operation-coverage.ts); run npm run generate:api`);
    const listed = [...coverage.implemented, ...coverage.notImplemented];
    const stale = [...listed.filter((n) => !model.operations[n]), ...Object.keys(model.operations).filter((n) => !listed.includes(n))];
    if (stale.length > 0)
      throw new Error(`${service}: src/api/ is out of date with the model (${stale.join(', ')}); run npm run generate:api`);
    const names = Object.keys(handlers);
    const foreign = names.filter((n) => !model.operations[n]);
    if (foreign.length > 0) throw new Error(`handler ${foreign.join(', ')} is not an operation of ${service}`);
    const claimed = new Set(coverage.implemented);
    const unclaimed = names.filter((n) => !claimed.has(n));
    if (unclaimed.length > 0)
      throw new Error(
        `${service}: handlers for ${unclaimed.join(', ')}, which ${CLAIMS} does not claim; add them there and run npm run generate:api`,
      );
    const missing = coverage.implemented.filter((n) => typeof handlers[n] !== 'function');
    if (missing.length > 0)
      throw new Error(
        `${service}: ${CLAIMS} claims ${missing.join(', ')}, but the handler table has no handler for ${missing.length === 1 ? 'it' : 'them'}`,
      );
    this.notImplemented = new Set(coverage.notImplemented);
  }

  /** The handler of an operation of the model; a NotImplementedException (501) for the others. */
  handler(operationName: string): Handler {
    if (this.notImplemented.has(operationName)) {
      throw new ServiceError(
        'NotImplementedException',
        `${operationName} is part of the Amazon Personalize API but is not implemented by openpersonalize yet.`,
        501,
      );
    }
    const handler = this.handlers[operationName];
    // resolve() only hands out operations of the model, and the constructor checked the rest.
    if (!handler) throw new Error(`${this.model.metadata.uid}: ${operationName} is neither implemented nor listed as not implemented`);
    return handler;
  }
}
