import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TrustRecError } from '@trustrec/core-linalg';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';

/**
 * The experiment configuration (`trustrec run <experiment.yaml>`, DESIGN.md "The benchmark app"): dataset,
 * split, models with hyper-parameters, attacks with ε grids, seeds, metrics, comparisons and report options.
 * YAML or JSON; validated with zod so that every error names the key path (`models[1].kind`), the line in
 * the file, and the allowed values. Defaults live here, in one place.
 */

export const MODEL_KINDS = ['bpr', 'apr', 'distilled', 'adv-distilled'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
/** Kinds that learn from a teacher model of the same seed (seed 001 §4, defensive distillation). */
export const TEACHER_MODEL_KINDS: readonly ModelKind[] = ['distilled', 'adv-distilled'];

/**
 * `models[].params` names the runner sets itself for each kind, with what sets them: a config may not set them
 * (the runner's value would silently win, or a YAML value would reach the trainer where an object is expected).
 * Every other name goes to the trainer, which rejects the names it does not know.
 */
export const RUNNER_MODEL_PARAMETERS: Readonly<Record<ModelKind, Readonly<Record<string, string>>>> = (() => {
  const seed = 'remove it: each run\'s seed comes from "seeds"';
  const onEpoch = 'remove it: the runner reports progress';
  const signal = 'remove it: the runner passes no abort signal';
  return {
    bpr: { seed },
    apr: {
      seed,
      pretrained: 'use models[].pretrained instead',
      registry: 'remove it: the runner passes its model registry',
      onEpoch,
      signal,
    },
    distilled: { seed, onEpoch, signal },
    'adv-distilled': { seed, onEpoch, signal },
  };
})();

export const ATTACK_KINDS = ['random', 'fgsm', 'bim'] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

/** Which embedding tables an attack perturbs. */
export const ATTACK_TARGETS = ['users', 'items', 'both'] as const;

/** Parameters each attack kind accepts (passed to @trustrec/attacks, which validates their values). */
export const ATTACK_PARAMETERS: Readonly<Record<AttackKind, readonly string[]>> = {
  random: ['distribution'],
  fgsm: ['negativesPerPositive'],
  bim: ['steps', 'stepSize', 'negativesPerPositive'],
};

export const SPLIT_METHODS = ['leave-one-out'] as const;

/** The ranking metrics of `evaluateFullRanking` (AUC is always reported as well). */
export const METRIC_NAMES = ['hr', 'ndcg', 'precision', 'recall', 'mrr', 'map'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** The default ε grid (seed 001 §5.3 varies the perturbation magnitude ε; these are the values of the robustness issue). */
export const DEFAULT_EPSILONS: readonly number[] = [0.1, 0.25, 0.5, 1.0, 2.0];
export const DEFAULT_SEEDS = 5;
export const DEFAULT_KS: readonly number[] = [10, 50, 100];

/** Known published references, printed beside our numbers (see published-reference.ts). */
export const PUBLISHED_REFERENCES = ['seed-001'] as const;

const IDENTIFIER = /^[a-z0-9][a-z0-9_-]*$/;
const identifier = z
  .string()
  .regex(IDENTIFIER, { error: 'must be lower-case letters, digits, "-" or "_" (e.g. "mf-bpr")' });

/** A strict object whose unknown-key error lists the allowed keys. */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}; allowed keys: ${allowed}`
        : undefined,
  });
}

function enumOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z.enum(values, {
    error: (issue) =>
      `must be one of ${values.map((value) => `"${value}"`).join(', ')}, got ${JSON.stringify(issue.input)}`,
  });
}

const hyperParameterValue = z.union([z.number(), z.string(), z.boolean(), z.array(z.number())], {
  error: 'a hyper-parameter must be a number, string, boolean or list of numbers',
});
const hyperParameters = z.record(z.string(), hyperParameterValue);

const positiveInteger = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be an integer' })
  .min(1, { error: 'must be ≥ 1' });
const seedValue = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be an integer' })
  .min(0, { error: 'must be ≥ 0' })
  .max(2 ** 31 - 1);

const datasetSchema = strictObject({
  /** A loader name of @trustrec/datasets (`ml-100k`, `ml-1m`, ...): checked against the registry at run time. */
  name: z.string().min(1),
  /** Folder with the raw files; default: --data-dir, else the TRUSTREC_DATA_DIR environment variable. */
  dataDir: z.string().min(1).optional(),
});

const splitSchema = strictObject({
  method: enumOf(SPLIT_METHODS).default('leave-one-out'),
  /**
   * `per-seed`: the split is drawn with each run's seed (variance over seeds includes the split);
   * a number: one fixed split for all seeds.
   */
  seed: z
    .union([z.literal('per-seed'), seedValue], { error: 'must be "per-seed" or an integer seed' })
    .default('per-seed'),
});

const modelSchema = strictObject({
  /** Unique id used in tables, comparisons, and as `teacher`. */
  id: identifier,
  kind: enumOf(MODEL_KINDS),
  /** Display name (default: MF-BPR, APR, Distilled MF, Adv. distilled MF). */
  label: z.string().min(1).optional(),
  /** For `distilled` / `adv-distilled`: the id of the teacher model (trained with the same seed). */
  teacher: identifier.optional(),
  /**
   * For `apr`: the id of an MF-BPR model (same seed) to start the adversarial phase from instead of pre-training
   * a fresh one (APR's own protocol: pre-train MF-BPR, then adversarial epochs).
   */
  pretrained: identifier.optional(),
  /**
   * Hyper-parameters passed to the trainer (`bpr`: the model registry's MF-BPR; `apr`: `trainApr`; `distilled`,
   * `adv-distilled`: `trainDistilledMf`, `trainAdversarialDistilledMf`), which rejects names it does not know
   * (E_CONFIG) when the model is trained; the names the runner sets ({@link RUNNER_MODEL_PARAMETERS}) are
   * rejected here.
   */
  params: hyperParameters.default({}),
});

const attackSchema = strictObject({
  /** Unique id (default: the kind). */
  id: identifier.optional(),
  kind: enumOf(ATTACK_KINDS),
  label: z.string().min(1).optional(),
  /** L2 budgets ε (per perturbed embedding row). */
  epsilons: z
    .array(z.number({ error: 'must be a number' }).positive({ error: 'must be > 0' }))
    .min(1, { error: 'needs at least one ε' })
    .default([...DEFAULT_EPSILONS]),
  target: enumOf(ATTACK_TARGETS).default('both'),
  /** Attack-specific parameters (e.g. BIM `steps`, `stepSize`). */
  params: hyperParameters.default({}),
});

const metricsSchema = strictObject({
  ks: z
    .array(positiveInteger)
    .min(1, { error: 'needs at least one cut-off' })
    .default([...DEFAULT_KS]),
  names: z.array(enumOf(METRIC_NAMES)).min(1).default(['hr', 'ndcg']),
});

const comparisonSchema = strictObject({
  /** The model under test (e.g. `apr`). */
  model: identifier,
  /** The baseline (e.g. `bpr`). */
  baseline: identifier,
  metric: enumOf(METRIC_NAMES).default('ndcg'),
  k: positiveInteger.default(100),
});

const reportSchema = strictObject({
  /** ε of the clean-vs-attacked bar chart (default: 0.5 when in the grid, else the middle ε). */
  barEpsilon: z.number().positive().optional(),
  /** Metrics plotted against ε, as `name@k` (default: ndcg and hr at the largest k). */
  plotMetrics: z
    .array(
      z.string().regex(/^(hr|ndcg|precision|recall|mrr|map)@[1-9][0-9]*$/, {
        error: 'must look like "ndcg@100" (hr, ndcg, precision, recall, mrr or map at a configured k)',
      }),
    )
    .optional(),
  /** A published reference table printed beside our numbers. */
  published: enumOf(PUBLISHED_REFERENCES).optional(),
});

export const experimentConfigSchema = strictObject({
  name: identifier,
  description: z.string().optional(),
  dataset: datasetSchema,
  split: splitSchema.default({ method: 'leave-one-out', seed: 'per-seed' }),
  models: z.array(modelSchema).min(1, { error: 'needs at least one model' }),
  attacks: z.array(attackSchema).default([]),
  /** A count n (seeds 1..n) or an explicit list of seeds. */
  seeds: z
    .union([positiveInteger, z.array(seedValue).min(1)], {
      error: 'must be a positive integer (number of seeds) or a list of integer seeds',
    })
    .default(DEFAULT_SEEDS),
  metrics: metricsSchema.default({ ks: [...DEFAULT_KS], names: ['hr', 'ndcg'] }),
  comparisons: z.array(comparisonSchema).optional(),
  report: reportSchema.default({}),
  /** Output folder (default ./trustrec-results/<name>-<timestamp>/); relative to the working directory. */
  out: z.string().min(1).optional(),
});

export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;
type ParsedConfig = z.output<typeof experimentConfigSchema>;
export type ModelSpec = ParsedConfig['models'][number];
export type AttackSpec = Omit<ParsedConfig['attacks'][number], 'id'> & { id: string };
export type ComparisonSpec = z.output<typeof comparisonSchema>;

/** A validated configuration with every default applied and seeds expanded to a list. */
export interface ExperimentConfig extends Omit<ParsedConfig, 'seeds' | 'attacks' | 'comparisons' | 'metrics'> {
  seeds: number[];
  attacks: AttackSpec[];
  comparisons: ComparisonSpec[];
  metrics: { ks: number[]; names: MetricName[] };
}

const DEFAULT_LABELS: Record<ModelKind, string> = {
  bpr: 'MF-BPR',
  apr: 'APR (AMF)',
  distilled: 'Distilled MF',
  'adv-distilled': 'Adv. distilled MF',
};
const DEFAULT_ATTACK_LABELS: Record<AttackKind, string> = { random: 'Random', fgsm: 'FGSM', bim: 'BIM' };

/** The id of the model (same seed) this one is trained from: its teacher or its pretrained start. */
export function modelDependency(model: ModelSpec): string | undefined {
  return model.teacher ?? model.pretrained;
}

export function modelLabel(model: ModelSpec): string {
  return model.label ?? DEFAULT_LABELS[model.kind];
}

export function attackLabel(attack: AttackSpec): string {
  return attack.label ?? DEFAULT_ATTACK_LABELS[attack.kind];
}

/** `models[1].kind` from zod's path. */
export function formatKeyPath(keyPath: readonly PropertyKey[]): string {
  let text = '';
  for (const part of keyPath) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text === '' ? '(top level)' : text;
}

/** Where a configuration came from, for error messages (file name, and the text to find line numbers). */
export interface ConfigSource {
  readonly file?: string;
  readonly lineOf?: (keyPath: readonly PropertyKey[]) => number | undefined;
}

function configError(message: string, details: Record<string, unknown>): TrustRecError {
  return new TrustRecError({ code: 'E_CONFIG', message, details });
}

/** zod's message; unions and enums carry custom messages listing the allowed values (see the schema). */
function describeIssue(issue: z.core.$ZodIssue): string {
  return issue.message;
}

/**
 * Validates a parsed configuration object: schema, then cross-references (unique ids, teachers defined before
 * their students, comparisons naming defined models, plot metrics at configured ks). Throws one E_CONFIG
 * error listing every problem, each as `key.path (line N): what is wrong; allowed values`.
 */
export function validateExperimentConfig(input: unknown, source: ConfigSource = {}): ExperimentConfig {
  const where = source.file ? ` in ${source.file}` : '';
  const located = (keyPath: readonly PropertyKey[]) => {
    const line = source.lineOf?.(keyPath);
    return line === undefined ? formatKeyPath(keyPath) : `${formatKeyPath(keyPath)} (line ${line})`;
  };
  const parsed = experimentConfigSchema.safeParse(input);
  if (!parsed.success) {
    // One problem per unknown key, located at that key.
    const issues = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            path: [...issue.path, key],
            message: issue.message.replace(/^unknown key\(s\) [^;]*;/, 'unknown key;'),
          }))
        : [{ path: issue.path, message: describeIssue(issue) }],
    );
    const problems = issues.map((issue) => `  - ${located(issue.path)}: ${issue.message}`);
    throw configError(`invalid experiment config${where}:\n${problems.join('\n')}`, {
      file: source.file,
      issues: issues.map((issue) => ({ path: formatKeyPath(issue.path), message: issue.message })),
    });
  }
  const config = parsed.data;
  const problems: { path: (string | number)[]; message: string }[] = [];

  const modelIds = new Map<string, number>();
  config.models.forEach((model, index) => {
    if (modelIds.has(model.id))
      problems.push({
        path: ['models', index, 'id'],
        message: `duplicate model id "${model.id}" (also models[${modelIds.get(model.id)}])`,
      });
    const needsTeacher = TEACHER_MODEL_KINDS.includes(model.kind);
    if (needsTeacher && model.teacher === undefined) {
      const defined = [...modelIds.keys()];
      problems.push({
        path: ['models', index, 'teacher'],
        message: `kind "${model.kind}" needs a teacher: the id of a model defined above it${defined.length > 0 ? ` (one of ${defined.map((id) => `"${id}"`).join(', ')})` : ''}`,
      });
    }
    if (!needsTeacher && model.teacher !== undefined) {
      problems.push({
        path: ['models', index, 'teacher'],
        message: `only kinds ${TEACHER_MODEL_KINDS.map((kind) => `"${kind}"`).join(', ')} take a teacher`,
      });
    }
    if (needsTeacher && model.teacher !== undefined && !modelIds.has(model.teacher)) {
      const defined = [...modelIds.keys()];
      problems.push({
        path: ['models', index, 'teacher'],
        message: `unknown teacher "${model.teacher}"; allowed: ${defined.length > 0 ? defined.map((id) => `"${id}"`).join(', ') : '(no model is defined above this one)'}`,
      });
    }
    if (model.pretrained !== undefined) {
      const bprIds = config.models
        .slice(0, index)
        .filter((other) => other.kind === 'bpr')
        .map((other) => other.id);
      if (model.kind !== 'apr')
        problems.push({ path: ['models', index, 'pretrained'], message: 'only kind "apr" takes a pretrained model' });
      else if (!bprIds.includes(model.pretrained)) {
        problems.push({
          path: ['models', index, 'pretrained'],
          message: `unknown pretrained model "${model.pretrained}"; allowed: ${bprIds.length > 0 ? bprIds.map((id) => `"${id}"`).join(', ') : '(no "bpr" model is defined above this one)'}`,
        });
      }
    }
    const runnerParameters = RUNNER_MODEL_PARAMETERS[model.kind];
    for (const name of Object.keys(model.params)) {
      if (Object.hasOwn(runnerParameters, name)) {
        problems.push({
          path: ['models', index, 'params', name],
          message: `set by the runner for kind "${model.kind}", not by params; ${runnerParameters[name]}`,
        });
      }
    }
    modelIds.set(model.id, index);
  });

  const attacks: AttackSpec[] = config.attacks.map((attack) => ({ ...attack, id: attack.id ?? attack.kind }));
  const attackIds = new Map<string, number>();
  attacks.forEach((attack, index) => {
    if (attackIds.has(attack.id)) {
      problems.push({
        path: ['attacks', index],
        message: `duplicate attack id "${attack.id}" (also attacks[${attackIds.get(attack.id)}]); give one an explicit "id"`,
      });
    }
    attackIds.set(attack.id, index);
    const allowedParameters = ATTACK_PARAMETERS[attack.kind];
    for (const name of Object.keys(attack.params)) {
      if (!allowedParameters.includes(name)) {
        problems.push({
          path: ['attacks', index, 'params', name],
          message: `unknown parameter for a "${attack.kind}" attack; allowed: ${allowedParameters.map((entry) => `"${entry}"`).join(', ')}`,
        });
      }
    }
    const seen = new Set<number>();
    attack.epsilons.forEach((epsilon, position) => {
      if (seen.has(epsilon))
        problems.push({ path: ['attacks', index, 'epsilons', position], message: `duplicate ε ${epsilon}` });
      seen.add(epsilon);
    });
  });

  const seeds =
    typeof config.seeds === 'number' ? Array.from({ length: config.seeds }, (_, index) => index + 1) : config.seeds;
  if (new Set(seeds).size !== seeds.length)
    problems.push({ path: ['seeds'], message: `seeds must be distinct, got [${seeds.join(', ')}]` });

  const ks = [...new Set(config.metrics.ks)].sort((a, b) => a - b);
  if (ks.length !== config.metrics.ks.length)
    problems.push({
      path: ['metrics', 'ks'],
      message: `cut-offs must be distinct, got [${config.metrics.ks.join(', ')}]`,
    });

  const names = [...new Set(config.metrics.names)];
  const defaultComparisons: ComparisonSpec[] = [];
  const bpr = config.models.find((model) => model.kind === 'bpr');
  const apr = config.models.find((model) => model.kind === 'apr');
  if (bpr && apr) defaultComparisons.push({ model: apr.id, baseline: bpr.id, metric: 'ndcg', k: ks[ks.length - 1] });
  const comparisons = config.comparisons ?? defaultComparisons;
  comparisons.forEach((comparison, index) => {
    for (const key of ['model', 'baseline'] as const) {
      if (!modelIds.has(comparison[key])) {
        problems.push({
          path: ['comparisons', index, key],
          message: `unknown model "${comparison[key]}"; allowed: ${[...modelIds.keys()].map((id) => `"${id}"`).join(', ')}`,
        });
      }
    }
    if (comparison.model === comparison.baseline)
      problems.push({ path: ['comparisons', index, 'baseline'], message: 'must differ from "model"' });
    if (!ks.includes(comparison.k))
      problems.push({
        path: ['comparisons', index, 'k'],
        message: `must be one of metrics.ks (${ks.join(', ')}), got ${comparison.k}`,
      });
  });
  config.report.plotMetrics?.forEach((entry, index) => {
    const [name, kText] = entry.split('@');
    if (!names.includes(name as MetricName))
      problems.push({
        path: ['report', 'plotMetrics', index],
        message: `metric "${name}" is not in metrics.names (${names.join(', ')})`,
      });
    if (!ks.includes(Number(kText)))
      problems.push({
        path: ['report', 'plotMetrics', index],
        message: `k = ${kText} is not in metrics.ks (${ks.join(', ')})`,
      });
  });
  const allEpsilons = new Set(attacks.flatMap((attack) => attack.epsilons));
  if (config.report.barEpsilon !== undefined && !allEpsilons.has(config.report.barEpsilon)) {
    problems.push({
      path: ['report', 'barEpsilon'],
      message: `must be one of the attacks' ε (${[...allEpsilons].sort((a, b) => a - b).join(', ')}), got ${config.report.barEpsilon}`,
    });
  }

  if (problems.length > 0) {
    throw configError(
      `invalid experiment config${where}:\n${problems.map((problem) => `  - ${located(problem.path)}: ${problem.message}`).join('\n')}`,
      {
        file: source.file,
        issues: problems.map((problem) => ({ path: formatKeyPath(problem.path), message: problem.message })),
      },
    );
  }
  return { ...config, seeds, attacks, comparisons, metrics: { ks, names } };
}

/** Parses YAML (a superset of JSON) and validates it; line numbers come from the YAML document. */
export function parseExperimentConfig(text: string, file?: string): ExperimentConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const line = first.linePos?.[0]?.line ?? (first.pos ? lineCounter.linePos(first.pos[0]).line : undefined);
    throw configError(
      `cannot parse experiment config${file ? ` ${file}` : ''}${line ? ` at line ${line}` : ''}: ${first.message.split('\n')[0]}`,
      { file, line },
    );
  }
  const lineOf = (keyPath: readonly PropertyKey[]): number | undefined => {
    // The innermost node that exists on the path (a missing key points at its parent).
    for (let length = keyPath.length; length >= 0; length--) {
      const node = document.getIn(keyPath.slice(0, length) as (string | number)[], true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return validateExperimentConfig(document.toJS(), { file, lineOf });
}

/** Reads and validates an experiment file (`.yaml`, `.yml` or `.json`). */
export function loadExperimentConfig(file: string): ExperimentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `cannot read experiment config ${file}: ${(cause as Error).message}`,
      cause,
      details: { file },
    });
  }
  return parseExperimentConfig(text, path.relative(process.cwd(), file) || file);
}
