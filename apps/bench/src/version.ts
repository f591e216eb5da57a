declare const __TRUSTREC_CLI_VERSION__: string;

/** The CLI's version, baked in at build time from apps/bench/package.json. */
export const CLI_VERSION: string =
  typeof __TRUSTREC_CLI_VERSION__ === 'string' ? __TRUSTREC_CLI_VERSION__ : '0.0.0-dev';
