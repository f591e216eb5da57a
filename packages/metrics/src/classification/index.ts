export {
  accuracy,
  balancedAccuracy,
  confusionMatrix,
  macroF1,
  majorityBaselineAccuracy,
  oneVsRestAuc,
  randomGuessBaselineAccuracy,
} from './classification-metrics.js';
