// src/api/<service>-handlers.ts: the operations of a model as handler signatures, which of them
// are implemented (claimed in src/api/implemented-operations.json) and the handler table a
// service must provide completely; and src/api/operation-coverage.ts, the claims by model, which
// the protocol layer reads to answer 501 and to check its table at start-up.
import type { LoadedService } from './services.ts';

const list = (names: string[]) => (names.length === 0 ? '[]' : `[\n${names.map((n) => `  '${n}',`).join('\n')}\n]`);

export function renderHandlers(s: LoadedService, header: string): string {
  const implemented = new Set(s.implemented);
  const missing = s.operations.filter((n) => !implemented.has(n));
  const signatures = s.operations.map((name) => {
    const op = s.model.operations[name];
    // Without an input shape the body is not validated: it is whatever JSON the client sent.
    const input = op.input ? `api.${op.input.shape}` : 'unknown';
    // Without an output shape the pipeline sends {} whatever the handler returns.
    const output = op.output ? `api.${op.output.shape}` : 'Record<string, never>';
    return `  ${name}: (input: ${input}, ctx: RequestContext) => Promise<${output}>;`;
  });
  const T = s.typeName;
  return `// ${header}
import type { RequestContext } from '../protocol/handler-types.ts';
import type * as api from './${s.service}-types.ts';

/**
 * Every operation of the model. Properties, not methods, so that a handler's parameter types are
 * checked strictly (method parameters are bivariant).
 */
export interface ${T}Operations {
${signatures.join('\n')}
}

/** The operations with a handler: src/api/implemented-operations.json. */
export const IMPLEMENTED = ${list(s.implemented)} as const satisfies readonly (keyof ${T}Operations)[];

/** The other operations of the model: the service answers them 501 NotImplementedException. */
export const NOT_IMPLEMENTED = ${list(missing)} as const satisfies readonly (keyof ${T}Operations)[];

export type ${T}Implemented = (typeof IMPLEMENTED)[number];

/** The handler table the service must provide: exactly the implemented operations. */
export type ${T}Handlers = Pick<${T}Operations, ${T}Implemented>;
`;
}

export function renderCoverageIndex(services: LoadedService[], header: string): string {
  const imports = services.map((s) => `import * as ${camel(s.typeName)} from './${s.service}-handlers.ts';`);
  const entries = services.map(
    (s) =>
      `  '${s.model.metadata.uid}': { implemented: ${camel(s.typeName)}.IMPLEMENTED, notImplemented: ${camel(s.typeName)}.NOT_IMPLEMENTED },`,
  );
  return `// ${header}
${imports.join('\n')}

export interface OperationCoverage {
  implemented: readonly string[];
  notImplemented: readonly string[];
}

/** By the model's metadata.uid: which operations have handlers, and which answer 501. */
export const OPERATION_COVERAGE: Readonly<Record<string, OperationCoverage>> = {
${entries.join('\n')}
};
`;
}

const camel = (typeName: string) => typeName[0].toLowerCase() + typeName.slice(1);

export function renderCoverageMarkdown(services: LoadedService[], header: string): string {
  const sections = services.map((s) => {
    const implemented = new Set(s.implemented);
    const pct = s.operations.length === 0 ? 0 : Math.round((100 * s.implemented.length) / s.operations.length);
    const rows = s.operations.map((n) => `- [${implemented.has(n) ? 'X' : ' '}] ${n}`);
    return `## ${s.service} (${s.version})\n\n${s.implemented.length} of ${s.operations.length} operations implemented (${pct}%); the others answer HTTP 501 NotImplementedException.\n\n${rows.join('\n')}\n`;
  });
  return `<!-- ${header} -->
# Implementation coverage

Every operation of the vendored AWS API models (spec/), implemented ([X]) or not ([ ]). What is
implemented is claimed in src/api/implemented-operations.json; the type checker holds the service
to it (src/api/*-handlers.ts), and the service checks its handler table against it at start-up.

${sections.join('\n')}`;
}
