/**
 * Why a report could not be built, in one line a person can act on (a missing folder, a folder
 * without event files). The CLI prints the message as it is, without a stack trace.
 */
export class ReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportError';
  }
}
