import { TrustRecError } from '@trustrec/core-linalg';
import type { HyperParameters, ModelReference, Recommender } from '../recommender/recommender.js';
import { type DecodedModel, decodeModel } from '../serialization/model-format.js';

/** Documentation of one hyper-parameter, for `trustrec describe <model>`. */
export interface HyperParameterDoc {
  readonly description: string;
  /** e.g. "integer ≥ 1", "(0, ∞)". */
  readonly range?: string;
}

/** A registered model: how to create it, load it, and describe it without instantiating it. */
export interface ModelEntry {
  /** Registry name used by the CLI (`bpr`, `als`, `ials`, `neumf`, `gmf`, `mlp`, `itemknn`, `pop`). */
  readonly name: string;
  readonly displayName: string;
  /** One line on what the model is. */
  readonly summary: string;
  readonly kind: 'factor' | 'neural' | 'neighbourhood' | 'baseline';
  /** Which feedback the model expects. */
  readonly feedback: 'implicit' | 'explicit';
  readonly reference: ModelReference;
  readonly defaults: HyperParameters;
  readonly hyperParameterDocs: Readonly<Record<string, HyperParameterDoc>>;
  /** Creates an unfitted model; unknown or invalid hyper-parameters throw `E_CONFIG`. */
  create(hyperParameters?: Readonly<Record<string, unknown>>): Recommender;
  /** Restores a model from a decoded file whose header names this model. */
  load(decoded: DecodedModel): Recommender;
}

/** Name → {@link ModelEntry}. The CLI and `loadModel` go through one of these (the default is built-ins + NCF). */
export class ModelRegistry {
  private readonly entries = new Map<string, ModelEntry>();

  register(entry: ModelEntry): this {
    if (this.entries.has(entry.name)) {
      throw new TrustRecError({
        code: 'E_ARGUMENT',
        message: `ModelRegistry.register: a model named '${entry.name}' is already registered`,
      });
    }
    this.entries.set(entry.name, entry);
    return this;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry for `name`; `E_CONFIG` listing the known names otherwise. */
  get(name: string): ModelEntry {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new TrustRecError({
        code: 'E_CONFIG',
        message: `unknown model '${name}'; known models: ${this.names().join(', ')}`,
        details: { option: 'model', value: name },
      });
    }
    return entry;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  list(): ModelEntry[] {
    return [...this.entries.values()];
  }

  create(name: string, hyperParameters?: Readonly<Record<string, unknown>>): Recommender {
    return this.get(name).create(hyperParameters);
  }

  /** Decodes bytes and restores the model named in their header (`E_FORMAT` for unknown models). */
  load(bytes: Uint8Array): Recommender {
    const decoded = decodeModel(bytes);
    const entry = this.entries.get(decoded.header.model);
    if (!entry) {
      throw new TrustRecError({
        code: 'E_FORMAT',
        message: `loadModel: the file holds model '${decoded.header.model}', which this registry does not know (known: ${this.names().join(', ')})`,
      });
    }
    return entry.load(decoded);
  }
}
