/** Run ids sort by creation time and are unique without coordination: `run-<time36>-<random>`. */
export function newRunId(now: number, random: () => number): string {
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `run-${now.toString(36)}-${suffix}`;
}

/** Candidate ids are the run id and the candidate's 0-based evaluation index, fixed when the search asks for it. */
export function candidateId(runId: string, seq: number): string {
  return `${runId}:${String(seq).padStart(5, '0')}`;
}
