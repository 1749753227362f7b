// Model-driven output: only members the model declares leave the service (so a handler cannot
// leak internal fields), and timestamps become epoch seconds with a fraction, as AWS sends them.
//
// Each shape's serializer is built once per model (a closure over its members' serializers), not
// found again in the model for every value: a runtime answer of 25 items would otherwise look up
// and list the same members 25 times on every request.
import type { ServiceModel } from './service-model.ts';

type Serializer = (value: unknown) => unknown;

const serializers = new WeakMap<ServiceModel, Map<string, Serializer>>();

export function serializeOutput(model: ServiceModel, shapeName: string, value: unknown): unknown {
  return serializerOf(model, shapeName)(value);
}

function serializerOf(model: ServiceModel, shapeName: string): Serializer {
  let byShape = serializers.get(model);
  if (!byShape) serializers.set(model, (byShape = new Map()));
  const known = byShape.get(shapeName);
  if (known) return known;
  // A recursive shape reaches itself while its members are built: they get this forwarder.
  let built: Serializer | undefined;
  byShape.set(shapeName, (value) => built!(value));
  built = build(model, shapeName);
  byShape.set(shapeName, built);
  return built;
}

function build(model: ServiceModel, shapeName: string): Serializer {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({ name, serialize: serializerOf(model, ref.shape) }));
      return (value) => {
        if (value === undefined || value === null) return undefined;
        const out: Record<string, unknown> = {};
        for (const m of members) {
          const v = m.serialize((value as Record<string, unknown>)[m.name]);
          if (v !== undefined) out[m.name] = v;
        }
        return out;
      };
    }
    case 'list': {
      const item = serializerOf(model, shape.member!.shape);
      return (value) => (value === undefined || value === null ? undefined : (value as unknown[]).map((v) => item(v)));
    }
    case 'map': {
      const entry = serializerOf(model, shape.value!.shape);
      return (value) => {
        if (value === undefined || value === null) return undefined;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = entry(v);
        return out;
      };
    }
    case 'timestamp':
      return (value) => {
        if (value === undefined || value === null) return undefined;
        const ms = value instanceof Date ? value.getTime() : Number(value);
        return ms / 1000;
      };
    default:
      return (value) => (value === undefined || value === null ? undefined : value);
  }
}
