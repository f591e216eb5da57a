// @trustrec/datasets — the public API.
export const PACKAGE_NAME = '@trustrec/datasets';
