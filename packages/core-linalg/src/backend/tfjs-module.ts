/** The TensorFlow.js core module, loaded lazily so kernel-only users never pay for it. */
export type TfModule = typeof import('@tensorflow/tfjs-core');

let tfPromise: Promise<TfModule> | undefined;

/** Imports `@tensorflow/tfjs-core` once (a peer dependency of this package). */
export function loadTfjsCore(): Promise<TfModule> {
  tfPromise ??= import('@tensorflow/tfjs-core').then(
    (module) => ((module as { default?: TfModule }).default ?? module) as TfModule,
  );
  return tfPromise;
}

/**
 * Imports an optional module by name without letting bundlers or the type checker resolve it at build time
 * (`@tensorflow/tfjs-node`, `webgpu`): absent modules reject the promise instead of breaking an install or import.
 */
export function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}
