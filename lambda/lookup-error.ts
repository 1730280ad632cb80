import { ReportableError } from './cfn-response';

/**
 * A failure of the lookup, worded for the stack events. `waitable` marks a
 * state that a later push or a finished scan can end (the image is missing or
 * not yet ACTIVE, a scan still runs): worth polling for.
 */
export class LookupError extends ReportableError {
  public readonly name: string = 'LookupError';

  public constructor(message: string, public readonly waitable = false) {
    super(message);
  }
}

/** The selected image is in ECR's archive: it cannot be pulled until it is restored. */
export class ArchivedImage extends LookupError {
  public readonly name: string = 'ArchivedImage';

  public constructor(message: string, public readonly digest: string) {
    super(message);
  }
}
