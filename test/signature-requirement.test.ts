import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ImageDigestLookup, ImageDigestLookupProps } from '../src';
import { COSIGN_TEST_KEY, TEST_ROOT, TEST_SIGNER_CERTIFICATE } from './signing/fixtures/keys';

function newStack(): { stack: Stack; repository: ecr.IRepository } {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  return { stack, repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') };
}

function grantedOn(stack: Stack, action: string): unknown[] {
  const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0] as any;
  return role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement)
    .filter((s: any) => [s.Action].flat().includes(action))
    .flatMap((s: any) => [s.Resource].flat());
}

test('GIVEN cosign keys and Notation trust WHEN synthesized THEN the SignatureRequirement property carries each list that is set', () => {
  const { stack, repository } = newStack();

  new ImageDigestLookup(stack, 'Api', {
    repository, requireSignature: { cosignPublicKeys: [COSIGN_TEST_KEY], notationRootCertificates: [TEST_ROOT], notationTrustedIdentities: ['O=Example,CN=Release'] },
  });

  Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', {
    SignatureRequirement: { CosignPublicKeys: [COSIGN_TEST_KEY], NotationRootCertificates: [TEST_ROOT], NotationTrustedIdentities: ['O=Example,CN=Release'] },
  });
});

test('GIVEN a lookup requiring a signature and one that does not WHEN synthesized THEN GetDownloadUrlForLayer is granted on the first repository only', () => {
  const { stack, repository } = newStack();
  new ImageDigestLookup(stack, 'Api', { repository, requireSignature: { cosignPublicKeys: [COSIGN_TEST_KEY] } });
  new ImageDigestLookup(stack, 'Worker', { repository: ecr.Repository.fromRepositoryName(stack, 'WorkerRepo', 'worker') });

  const granted = grantedOn(stack, 'ecr:GetDownloadUrlForLayer');

  expect(granted).toHaveLength(1);
  expect(JSON.stringify(granted)).toContain('repository/api');
});

test('GIVEN no signature requirement WHEN synthesized THEN neither the property nor GetDownloadUrlForLayer appears', () => {
  const { stack, repository } = newStack();
  new ImageDigestLookup(stack, 'Api', { repository });

  expect(grantedOn(stack, 'ecr:GetDownloadUrlForLayer')).toEqual([]);
  const [resource] = Object.values(Template.fromStack(stack).findResources('Custom::ImageDigestLookup')) as any[];
  expect(resource.Properties).not.toHaveProperty('SignatureRequirement');
});

test.each<[string, ImageDigestLookupProps['requireSignature'], RegExp]>([
  ['trusts no signer', {}, /requireSignature trusts no signer, so no image could pass it: set cosignPublicKeys \(cosign\) or notationRootCertificates/],
  ['has identities without roots', { cosignPublicKeys: [COSIGN_TEST_KEY], notationTrustedIdentities: ['CN=x'] }, /notationTrustedIdentities is set without notationRootCertificates/],
  ['has a key that is no PEM', { cosignPublicKeys: ['ssh-ed25519 AAAA'] }, /requireSignature.cosignPublicKeys\[0\] \("ssh-ed25519 AAAA"\) is not a PEM public key/],
  ['has a root that is no PEM', { notationRootCertificates: [COSIGN_TEST_KEY] }, /requireSignature.notationRootCertificates\[0\] \(".*"\) is not a PEM certificate/],
])('GIVEN a requirement that %s WHEN synthesized THEN the error names the option and the rule', (_case, requireSignature, message) => {
  const { stack, repository } = newStack();

  expect(() => new ImageDigestLookup(stack, 'Api', { repository, requireSignature })).toThrow(message);
});

test('GIVEN a signing certificate instead of a root WHEN synthesized THEN the error says it is no CA certificate', () => {
  const { stack, repository } = newStack();

  expect(() => new ImageDigestLookup(stack, 'Api', { repository, requireSignature: { notationRootCertificates: [TEST_SIGNER_CERTIFICATE] } }))
    .toThrow('requireSignature.notationRootCertificates[0] (subject C=US, O=Example, CN=Release Signer) is not a CA certificate, so no chain can end at it: pass the root certificate of the signing certificates, not the signing certificate itself.');
  expect(() => new ImageDigestLookup(stack, 'Root', { repository, requireSignature: { notationRootCertificates: [TEST_ROOT] } })).not.toThrow();
});

test('GIVEN keys from a CommaDelimitedList parameter WHEN synthesized THEN the token passes to the handler unchecked', () => {
  const { stack, repository } = newStack();
  const keys = new CfnParameter(stack, 'Keys', { type: 'CommaDelimitedList' }).valueAsList;

  new ImageDigestLookup(stack, 'Api', { repository, requireSignature: { cosignPublicKeys: keys } });

  Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', { SignatureRequirement: { CosignPublicKeys: { Ref: 'Keys' } } });
});

test('GIVEN a lookup without requireSignature WHEN signedBy is read THEN synth fails saying it needs requireSignature', () => {
  const { stack, repository } = newStack();
  const lookup = new ImageDigestLookup(stack, 'Api', { repository });

  expect(() => lookup.signedBy).toThrow('ImageDigestLookup Stack/Api: signedBy is known only to a lookup that verifies the image\'s signature: set requireSignature.');
});

test('GIVEN a lookup with requireSignature WHEN signedBy, signedAt and signedDigest are read THEN each is its attribute', () => {
  const { stack, repository } = newStack();
  const lookup = new ImageDigestLookup(stack, 'Api', { repository, requireSignature: { cosignPublicKeys: [COSIGN_TEST_KEY] } });

  expect(stack.resolve(lookup.signedBy)).toEqual({ 'Fn::GetAtt': ['ApiF70053CD', 'SignedBy'] });
  expect(stack.resolve(lookup.signedAt)).toEqual({ 'Fn::GetAtt': ['ApiF70053CD', 'SignedAt'] });
  expect(stack.resolve(lookup.signedDigest)).toEqual({ 'Fn::GetAtt': ['ApiF70053CD', 'SignedDigest'] });
});

test('GIVEN Notation roots in one lookup and cosign keys in another WHEN synthesized THEN signer:GetRevocationStatus is granted once, on *, for the Notation lookup only', () => {
  const { stack, repository } = newStack();
  new ImageDigestLookup(stack, 'Cosign', { repository, requireSignature: { cosignPublicKeys: [COSIGN_TEST_KEY] } });
  expect(grantedOn(stack, 'signer:GetRevocationStatus')).toEqual([]);

  const other = newStack();
  new ImageDigestLookup(other.stack, 'Api', { repository: other.repository, requireSignature: { notationRootCertificates: [TEST_ROOT] } });
  new ImageDigestLookup(other.stack, 'Worker', { repository: other.repository, requireSignature: { notationRootCertificates: [TEST_ROOT] } });
  expect(grantedOn(other.stack, 'signer:GetRevocationStatus')).toEqual(['*']);
});
