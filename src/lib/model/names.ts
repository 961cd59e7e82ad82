/** The backend names, kept in records/ (plain names, no tfjs import); re-exported for model/. */
export { BACKENDS, type BackendName, type BackendPreference } from '../records/names';
