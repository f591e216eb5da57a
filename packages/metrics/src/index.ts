// @trustrec/metrics — the public API.
export const PACKAGE_NAME = '@trustrec/metrics';
