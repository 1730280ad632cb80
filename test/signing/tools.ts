import { missingTools } from './signing-lab';

/**
 * The signature tests need cosign, the registry and notation-signer, which
 * `test/signing/install.sh` builds (minutes on a first run). Without them
 * the tests are skipped and say so, unless SIGNING_TESTS=require (CI), where
 * a missing tool fails.
 */
export function signingTestsOrSkip(): { ready: boolean; test: jest.It } {
  const missing = missingTools();
  if (missing.length === 0) {
    return { ready: true, test };
  }
  const message = `the signature tools are not built (${missing.join(', ')}): run test/signing/install.sh`;
  if (process.env.SIGNING_TESTS === 'require') {
    test('the signature tools are built', () => {
      throw new Error(message);
    });
    return { ready: false, test: test.skip };
  }
  console.warn(`Skipping the signature tests: ${message}.`);
  return { ready: false, test: test.skip };
}
