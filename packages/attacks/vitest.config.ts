import { createVitestConfig } from '@trustrec/vitest-config';

export default createVitestConfig();
