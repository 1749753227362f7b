// Model-driven input checks: every constraint comes from the API model, none is written here.
// Type mismatches are SerializationException (the request cannot be read as the operation's
// input); constraint violations are collected, like AWS's Coral framework does, into one
// ValidationException: "2 validation errors detected: Value 'x' at 'name' failed to satisfy
// constraint: Member must ...; Value null at 'schema' failed to satisfy constraint: ...".
import { serialization, validation } from './service-error.ts';
import type { ServiceModel, Shape } from './service-model.ts';

const patternCache = new Map<string, RegExp>();

/** Java-style full match of a model pattern (the model's patterns are Java regexes). */
export function modelPattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      re = new RegExp(`^(?:${pattern})$`);
    }
    patternCache.set(pattern, re);
  }
  return re;
}

function describeValue(value: unknown, shape: Shape): string {
  if (shape.sensitive) return 'Value';
  if (value === null || value === undefined) return 'Value null';
  const text = Array.isArray(value)
    ? `[${value.map(String).join(', ')}]`
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
  return `Value '${text}'`;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

class Checker {
  readonly problems: string[] = [];
  constructor(private readonly model: ServiceModel) {}

  private fail(path: string, value: unknown, shape: Shape, constraint: string): void {
    this.problems.push(`${describeValue(value, shape)} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  private typeError(path: string, expected: string, value: unknown): never {
    throw serialization(`Expected ${expected} at '${path}', but found ${jsonType(value)}.`);
  }

  check(shapeName: string, value: unknown, path: string): void {
    const shape = this.model.shapes[shapeName];
    if (!shape) throw new Error(`model has no shape ${shapeName}`);
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, value, path);
      case 'list':
        return this.list(shape, value, path);
      case 'map':
        return this.map(shape, value, path);
      case 'string':
        return this.string(shape, value, path);
      case 'integer':
      case 'long':
        if (typeof value !== 'number' || !Number.isInteger(value)) this.typeError(path, 'an integer', value);
        return this.range(shape, value, path);
      case 'double':
      case 'float':
        if (typeof value !== 'number') this.typeError(path, 'a number', value);
        return this.range(shape, value, path);
      case 'boolean':
        if (typeof value !== 'boolean') this.typeError(path, 'a boolean', value);
        return;
      case 'timestamp':
        if (typeof value !== 'number' && typeof value !== 'string') this.typeError(path, 'a timestamp', value);
        return;
      case 'blob':
        if (typeof value !== 'string') this.typeError(path, 'base64 data', value);
        return;
    }
  }

  private structure(shape: Shape, value: unknown, path: string): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.typeError(path || 'the request body', 'an object', value);
    const obj = value as Record<string, unknown>;
    const members = shape.members ?? {};
    const prefix = path ? `${path}.` : '';
    for (const name of shape.required ?? []) {
      if (obj[name] === undefined || obj[name] === null)
        this.fail(prefix + name, null, this.model.shapes[members[name].shape], 'Member must not be null');
    }
    for (const [name, member] of Object.entries(obj)) {
      const ref = members[name];
      if (!ref) {
        this.problems.push(`Value at '${prefix + name}' failed to satisfy constraint: Member is not a known member of this structure`);
        continue;
      }
      // JSON null for an optional member means "not set", as the AWS SDKs treat it: handlers see it absent.
      if (member === null) delete obj[name];
      else if (member !== undefined) this.check(ref.shape, member, prefix + name);
    }
  }

  private list(shape: Shape, value: unknown, path: string): void {
    if (!Array.isArray(value)) this.typeError(path, 'a list', value);
    const items = value as unknown[];
    this.count(shape, items, items.length, path);
    items.forEach((item, i) => {
      if (item === null) this.fail(`${path}.${i + 1}.member`, null, shape, 'Member must not be null');
      else this.check(shape.member!.shape, item, `${path}.${i + 1}.member`);
    });
  }

  private map(shape: Shape, value: unknown, path: string): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.typeError(path, 'a map', value);
    const entries = Object.entries(value as Record<string, unknown>);
    this.count(shape, value, entries.length, path);
    for (const [k, v] of entries) {
      this.check(shape.key!.shape, k, `${path}.${k}.key`);
      if (v === null) this.fail(`${path}.${k}.value`, null, shape, 'Member must not be null');
      else this.check(shape.value!.shape, v, `${path}.${k}.value`);
    }
  }

  private count(shape: Shape, value: unknown, n: number, path: string): void {
    if (shape.min !== undefined && n < shape.min)
      this.fail(path, value, shape, `Member must have length greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && n > shape.max)
      this.fail(path, value, shape, `Member must have length less than or equal to ${shape.max}`);
  }

  private string(shape: Shape, value: unknown, path: string): void {
    if (typeof value !== 'string') this.typeError(path, 'a string', value);
    const text = value as string;
    // Coral counts characters, not UTF-16 units; code points are the closest JS measure.
    this.count(shape, text, [...text].length, path);
    if (shape.enum && !shape.enum.includes(text))
      this.fail(path, text, shape, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
    if (shape.pattern && !modelPattern(shape.pattern).test(text))
      this.fail(path, text, shape, `Member must satisfy regular expression pattern: ${shape.pattern}`);
  }

  private range(shape: Shape, value: number, path: string): void {
    if (shape.min !== undefined && value < shape.min)
      this.fail(path, value, shape, `Member must have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value > shape.max)
      this.fail(path, value, shape, `Member must have value less than or equal to ${shape.max}`);
  }
}

/** Throws SerializationException or ValidationException; returns normally when the input is valid. */
export function validateInput(model: ServiceModel, shapeName: string, input: unknown): void {
  const checker = new Checker(model);
  checker.check(shapeName, input, '');
  const n = checker.problems.length;
  if (n > 0) throw validation(`${n} validation error${n === 1 ? '' : 's'} detected: ${checker.problems.join('; ')}`);
}
