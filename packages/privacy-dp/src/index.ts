// @trustrec/privacy-dp — the public API.
export const PACKAGE_NAME = '@trustrec/privacy-dp';
