export { NotFittedError, abortedError, configError } from './not-fitted-error.js';
