/**
 * A failure whose message is fit to show in CloudFormation's stack events.
 * `waitable` marks a state that a later push or a finished scan can end (the
 * image is missing or not yet ACTIVE, a scan still runs): worth polling for.
 */
export class LookupError extends Error {
  public readonly name = 'LookupError';

  public constructor(message: string, public readonly waitable = false) {
    super(message);
  }
}
