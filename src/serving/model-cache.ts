// The models this node has loaded, keyed by their artifact's key in the model store. Keys are
// never reused and artifacts never change (training/model-store.ts), so an entry never goes stale:
// a campaign that switches to another version simply asks for another key. The cache is bounded
// by bytes, least recently used out first; a model's size is taken as its artifact's size (the
// loaded typed arrays are copies of the artifact's sections, plus per-model scratch buffers of a
// few bytes per item). Concurrent requests for a model that is loading share one load.
import type { Model } from '../training/trainer.ts';

export interface LoadedModel {
  model: Model;
  /** What the model counts against the cache's bound. */
  bytes: number;
}

export class ModelCache {
  /** Map order is recency: the first entry is the least recently used. */
  private readonly entries = new Map<string, LoadedModel>();
  private readonly loading = new Map<string, Promise<Model>>();
  private used = 0;

  constructor(readonly maxBytes: number) {}

  /** The model if it is loaded (marked as used), without waiting. */
  peek(key: string): Model | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.model;
  }

  /** The model of the key, loaded by `load` first if needed (from the model store, through its recipe's trainer). */
  get(key: string, load: () => Promise<LoadedModel>): Promise<Model> {
    const hit = this.peek(key);
    if (hit) return Promise.resolve(hit);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = load().then(
        (loaded) => {
          this.loading.delete(key);
          this.insert(key, loaded);
          return loaded.model;
        },
        (e: unknown) => {
          this.loading.delete(key);
          throw e;
        },
      );
      this.loading.set(key, pending);
    }
    return pending;
  }

  /** Loaded models and the bytes they count. */
  stats(): { models: number; bytes: number } {
    return { models: this.entries.size, bytes: this.used };
  }

  private insert(key: string, loaded: LoadedModel): void {
    const old = this.entries.get(key);
    if (old) this.used -= old.bytes;
    this.entries.delete(key);
    this.entries.set(key, loaded);
    this.used += loaded.bytes;
    // The newest model stays even if it alone is over the bound: a request is waiting for it.
    for (const [k, e] of this.entries) {
      if (this.used <= this.maxBytes || k === key) break;
      this.entries.delete(k);
      this.used -= e.bytes;
    }
  }
}
