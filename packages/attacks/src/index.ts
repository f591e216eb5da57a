// @trustrec/attacks — the public API.
export const PACKAGE_NAME = '@trustrec/attacks';
