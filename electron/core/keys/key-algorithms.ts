/** The station key's algorithms: the list lives in shared/ (the app's key forms offer it too). */
export { KEY_ALGORITHMS, type KeyAlgorithm } from '../../../shared/key-algorithms.js';
