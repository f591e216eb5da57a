// @trustrec/defenses — the public API.
export const PACKAGE_NAME = '@trustrec/defenses';
