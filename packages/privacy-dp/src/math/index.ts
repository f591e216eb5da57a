export { bisect } from './bisect.js';
export {
  erf,
  erfc,
  logAddExp,
  logBinomial,
  logErfc,
  logGamma,
  logNormalCdf,
  logSubExp,
  logSumExp,
  normalCdf,
} from './special-functions.js';
