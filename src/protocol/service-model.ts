// The botocore API model, loaded once: the single source of truth for operation names, input
// constraints, output shapes and declared errors. Nothing here is retyped by hand.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MemberRef {
  shape: string;
  location?: string;
  locationName?: string;
  idempotencyToken?: boolean;
}

export interface Shape {
  type: 'structure' | 'string' | 'list' | 'map' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  exception?: boolean;
  error?: { httpStatusCode?: number; code?: string };
  payload?: string;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

export interface ServiceModel {
  metadata: { targetPrefix?: string; protocol: string; signingName: string; endpointPrefix: string; apiVersion: string; uid: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

/** The package root (where package.json and spec/ live), from src/ or from the compiled dist/src/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('openpersonalize: cannot find the package root (package.json)');
    dir = up;
  }
  return dir;
}

const cache = new Map<string, ServiceModel>();

/** Loads e.g. loadServiceModel('personalize', '2018-05-22') from the vendored spec/ folder. */
export function loadServiceModel(service: string, version: string): ServiceModel {
  const key = `${service}/${version}`;
  let model = cache.get(key);
  if (!model) {
    model = JSON.parse(readFileSync(join(packageRoot(), 'spec', service, version, 'service-2.json'), 'utf8')) as ServiceModel;
    cache.set(key, model);
  }
  return model;
}
