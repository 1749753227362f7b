// src/api/<service>-types.ts: one TypeScript type per shape that an operation's input or output
// reaches, named as in the botocore model, typed as the pipeline (src/protocol/) really passes
// values to handlers and takes them back (see TYPES_PREAMBLE).
import type { MemberRef, ServiceModel, Shape } from '../../src/protocol/service-model.ts';

type Direction = 'input' | 'output';

// Globals the generated code refers to; a shape of that name would shadow them.
const RESERVED = new Set(['Date', 'Record', 'Promise', 'Array', 'Object', 'String', 'Number', 'Boolean']);

const TYPES_PREAMBLE = `//
// Types are what the pipeline gives handlers and accepts from them:
//  * input is parsed JSON that validateInput checked against the model: required members are present
//    and not null; an optional member sent as JSON null is removed ("not set", as the AWS SDKs
//    treat it), so handlers see it absent;
//  * timestamps arrive as the client sent them, epoch seconds (number) or a date string, and handlers
//    return them as Date (serializeOutput sends epoch seconds); blobs are base64 strings both ways;
//  * strings without enum, numbers, booleans and timestamps are inlined, not aliased: their
//    constraints are checked at run time, an alias would add nothing tsc checks.
// Constraints (lengths, patterns, ranges) are not types: validateInput enforces them.
`;

/** Which directions reach each shape, from the operations' inputs and outputs. */
export function shapeDirections(model: ServiceModel): Map<string, Set<Direction>> {
  const dirs = new Map<string, Set<Direction>>();
  const visit = (name: string, dir: Direction): void => {
    const seen = dirs.get(name) ?? new Set<Direction>();
    if (seen.has(dir)) return;
    seen.add(dir);
    dirs.set(name, seen);
    const shape = shapeOf(model, name);
    const refs: (MemberRef | undefined)[] = [...Object.values(shape.members ?? {}), shape.member, shape.key, shape.value];
    for (const ref of refs) if (ref) visit(ref.shape, dir);
  };
  for (const op of Object.values(model.operations)) {
    if (op.input) visit(op.input.shape, 'input');
    if (op.output) visit(op.output.shape, 'output');
  }
  return dirs;
}

function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`the model refers to shape ${name}, which it does not define`);
  return shape;
}

/** Shapes that get a declaration of their own; the others are inlined where they are used. */
const isNamed = (shape: Shape) =>
  shape.type === 'structure' || shape.type === 'list' || shape.type === 'map' || (shape.type === 'string' && !!shape.enum);

/** The TypeScript type of a reference to `name`, made from a shape that `dirs` reach. */
function typeRef(model: ServiceModel, name: string, dirs: Set<Direction>, where: string): string {
  const shape = shapeOf(model, name);
  if (isNamed(shape)) return name;
  switch (shape.type) {
    case 'string':
    case 'blob':
      return 'string';
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
      // Input and output timestamps differ (number|string in, Date out): one type cannot be both.
      if (dirs.size > 1)
        throw new Error(
          `${where} is a timestamp in a shape used by both inputs and outputs; decide how to type it in scripts/api-gen/render-types.ts`,
        );
      return dirs.has('input') ? 'number | string' : 'Date';
    default:
      throw new Error(`${where}: shape type ${(shape as Shape).type} is not supported by the generator`);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const propertyName = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
const parens = (type: string) => (type.includes(' ') ? `(${type})` : type);

function declaration(model: ServiceModel, name: string, dirs: Set<Direction>): string {
  const shape = shapeOf(model, name);
  if (RESERVED.has(name))
    throw new Error(`shape ${name} would shadow the global ${name} in the generated types; rename it in the generator`);
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members ?? {});
      if (members.length === 0) return `export type ${name} = Record<string, never>;\n`;
      const required = new Set(shape.required ?? []);
      const lines = members.map(([member, ref]) => {
        const type = typeRef(model, ref.shape, dirs, `${name}.${member}`);
        if (required.has(member)) return `  ${propertyName(member)}: ${type};`;
        return `  ${propertyName(member)}?: ${type};`;
      });
      return `export interface ${name} {\n${lines.join('\n')}\n}\n`;
    }
    case 'list':
      return `export type ${name} = ${parens(typeRef(model, shape.member!.shape, dirs, `${name} member`))}[];\n`;
    case 'map':
      // JSON object keys are strings whatever the key shape; its constraints are run-time checks.
      return `export type ${name} = Record<string, ${typeRef(model, shape.value!.shape, dirs, `${name} value`)}>;\n`;
    default:
      return `export type ${name} = ${shape.enum!.map((v) => JSON.stringify(v)).join(' | ')};\n`;
  }
}

/** Every named shape's declaration, in name order. */
export function declarations(model: ServiceModel): { name: string; text: string }[] {
  const dirs = shapeDirections(model);
  const names = [...dirs.keys()].filter((n) => isNamed(shapeOf(model, n))).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => ({ name, text: declaration(model, name, dirs.get(name)!) }));
}

export function renderTypes(model: ServiceModel, header: string): string {
  return `// ${header}\n${TYPES_PREAMBLE}\n${declarations(model)
    .map((d) => d.text)
    .join('\n')}`;
}

export { TYPES_PREAMBLE };
