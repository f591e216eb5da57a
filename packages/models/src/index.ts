// @trustrec/models — the public API.
export const PACKAGE_NAME = '@trustrec/models';
