/**
 * The deploy-time check of `Refresh.whenDigestChanges()`: the template
 * carries the image resolved at synth, which `cdk diff` showed a reviewer;
 * the handler has just resolved the selector again. When the two differ the
 * image moved in between, and the lookup does what the user chose.
 */
import { describeRequest, LookupError, LookupRequest } from './lookup-request';
import { digestOfReference } from '../src/shared/expected-image';

/**
 * Throws when the image moved since synth and the lookup must fail; logs
 * the move when it follows. Does nothing for a lookup not resolved at synth.
 */
export function checkExpectedImage(request: LookupRequest, digest: string): void {
  const expected = request.expectedImage;
  if (expected === undefined) {
    return;
  }
  // The reader checked that the reference ends with a digest.
  const synthDigest = digestOfReference(expected.reference)!;
  if (synthDigest === digest) {
    return;
  }
  const move = `${describeRequest(request)} was ${synthDigest} at synth (ExpectedImage ${expected.reference}) and is ${digest} now`;
  if (expected.onMoved === 'fail') {
    throw new LookupError(`The image moved between synth and deploy: ${move}. Synthesize again (cdk diff shows the new image) and deploy that template, or set Refresh.whenDigestChanges({ onMovedImage: MovedImage.FOLLOW }) to deploy the current image.`);
  }
  console.warn(`The image moved between synth and deploy: ${move}; deploying ${digest} (onMovedImage: MovedImage.FOLLOW).`);
}
