/**
 * The records a run is made of: what IndexedDB stores, workers send and bundles carry. All plain JSON, and a
 * leaf of the import graph (it imports only core and genome types), so any layer may use them.
 */
export * from './device';
export * from './candidate';
export * from './figures';
export * from './names';
export * from './run';
export * from './search';
