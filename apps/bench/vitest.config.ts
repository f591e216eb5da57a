import { createVitestConfig } from '@trustrec/vitest-config';

export default createVitestConfig({ testTimeout: 300_000 });
