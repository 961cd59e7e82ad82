/** The run's Pareto front, everywhere it is drawn. */
export const FRONT = '#d9480f';
/** Candidates off the front. */
export const OTHER = '#adb5bd';
