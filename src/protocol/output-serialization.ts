// Model-driven output: only members the model declares leave the service (so a handler cannot
// leak internal fields), and timestamps become epoch seconds with a fraction, as AWS sends them.
import type { ServiceModel } from './service-model.ts';

export function serializeOutput(model: ServiceModel, shapeName: string, value: unknown): unknown {
  const shape = model.shapes[shapeName];
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = serializeOutput(model, ref.shape, (value as Record<string, unknown>)[name]);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => serializeOutput(model, shape.member!.shape, item));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = serializeOutput(model, shape.value!.shape, v);
      return out;
    }
    case 'timestamp': {
      const ms = value instanceof Date ? value.getTime() : Number(value);
      return ms / 1000;
    }
    default:
      return value;
  }
}
