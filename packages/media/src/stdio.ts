type TypedStdio = readonly ['ignore', 'pipe', 'pipe'];

/**
 * stdin closed, stdout/stderr piped, and optionally an open input file as the child's fd 3. execa
 * documents an integer as a stdio value ("re-use this file descriptor") and it works for fd 3+ at
 * run time (test/pinned-input.test.ts), but its types reject it beyond fd 2: hence the cast.
 */
export function stdioWithInput(inputFd: number | undefined): TypedStdio {
  const stdio = inputFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', inputFd];
  return stdio as unknown as TypedStdio;
}
