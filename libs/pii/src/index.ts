export { scrubPii, scrubPiiDeep } from './scrub-pii';
export { piiMarkers, isPiiMarker, type PiiKind } from './markers';
export { classifySensitiveKey, type SensitiveKeyKind } from './sensitive-keys';
export { passesLuhn, looksLikeCardNumber } from './luhn';
export { piiCorpus, type PiiCorpusLine } from './pii-corpus';
