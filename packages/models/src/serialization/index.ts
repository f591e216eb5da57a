export {
  MODEL_FORMAT_MAGIC,
  MODEL_FORMAT_VERSION,
  decodeModel,
  encodeModel,
  requireStoredArray,
  requireStoredNumber,
} from './model-format.js';
export type {
  DecodedModel,
  ModelFileHeader,
  ModelPayload,
  StoredArray,
  StoredArrayEntry,
  StoredDtype,
  StoredStateValue,
} from './model-format.js';
