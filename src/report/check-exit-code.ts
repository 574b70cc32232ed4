// The exit code a check's verdicts give, where the report's own exit code is decided: the check
// judges each cell (check/check-verdict.ts); the report only counts what was judged.

export interface CheckVerdict {
  status: 'passed' | 'failed';
  /** Observed differs from predicted: the harness's model did not hold. */
  surprise: boolean;
}

/** 1 when a verdict failed; else 2 when a prediction did not hold; else 0. */
export function checkExitCode(verdicts: readonly CheckVerdict[]): 0 | 1 | 2 {
  if (verdicts.some((verdict) => verdict.status === 'failed')) return 1;
  return verdicts.some((verdict) => verdict.surprise) ? 2 : 0;
}
