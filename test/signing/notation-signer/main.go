// Command notation-signer makes the test fixtures of the signature tests with
// the Notation project's own libraries: a test CA and signing certificates,
// and Notation signatures (JWS or COSE envelopes) attached as OCI referrers to
// an image in a registry, exactly as the notation CLI would attach them.
//
//	notation-signer ca   -subject "CN=Test Root,O=Example" -out root
//	notation-signer leaf -ca root -subject "CN=Signer,O=Example" -valid 1h -out leaf
//	notation-signer sign -key leaf.key -chain leaf.chain.pem -envelope jws|cose [-expiry 2s] 127.0.0.1:5000/repo@sha256:...
//
// With -profile-version and -job, sign writes the envelope AWS Signer writes:
// the notary.x509.signingAuthority scheme, and the signing profile version and
// signing job as critical extended attributes, through notation-core-go.
package main

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/notaryproject/notation-core-go/signature"
	_ "github.com/notaryproject/notation-core-go/signature/cose"
	_ "github.com/notaryproject/notation-core-go/signature/jws"
	"github.com/notaryproject/notation-go"
	"github.com/notaryproject/notation-go/registry"
	"github.com/notaryproject/notation-go/signer"
	"oras.land/oras-go/v2/registry/remote"
)

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: notation-signer ca|leaf|sign ..."))
	}
	var err error
	switch os.Args[1] {
	case "ca":
		err = newCA(os.Args[2:])
	case "leaf":
		err = newLeaf(os.Args[2:])
	case "sign":
		err = sign(os.Args[2:])
	case "revocation-hashes":
		err = revocationHashes(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "notation-signer:", err)
	os.Exit(1)
}

// parseSubject reads "CN=Name,O=Org,C=US" (the form Notation trust policies use).
func parseSubject(text string) (pkix.Name, error) {
	var name pkix.Name
	for _, part := range strings.Split(text, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return name, fmt.Errorf("subject part %q is not KEY=value", part)
		}
		switch key {
		case "CN":
			name.CommonName = value
		case "O":
			name.Organization = append(name.Organization, value)
		case "OU":
			name.OrganizationalUnit = append(name.OrganizationalUnit, value)
		case "C":
			name.Country = append(name.Country, value)
		case "ST":
			name.Province = append(name.Province, value)
		case "L":
			name.Locality = append(name.Locality, value)
		default:
			return name, fmt.Errorf("subject key %q is not one of CN, O, OU, C, ST, L", key)
		}
	}
	return name, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	return n
}

func newCA(args []string) error {
	flags := flag.NewFlagSet("ca", flag.ExitOnError)
	subject := flags.String("subject", "CN=Test Root,O=Example", "the CA's subject")
	out := flags.String("out", "root", "writes <out>.key and <out>.pem")
	flags.Parse(args)
	name, err := parseSubject(*subject)
	if err != nil {
		return err
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	template := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               name,
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return err
	}
	return writeKeyAndCerts(*out, key, [][]byte{der}, ".pem")
}

func newLeaf(args []string) error {
	flags := flag.NewFlagSet("leaf", flag.ExitOnError)
	ca := flags.String("ca", "root", "the issuing CA's <ca>.key and <ca>.pem")
	subject := flags.String("subject", "CN=Test Signer,O=Example", "the certificate's subject")
	valid := flags.Duration("valid", time.Hour, "how long the certificate is valid from now")
	usage := flags.String("eku", "code-signing", "the extended key usage: code-signing, server-auth or none")
	out := flags.String("out", "leaf", "writes <out>.key and <out>.chain.pem (the leaf, then the CA)")
	flags.Parse(args)
	name, err := parseSubject(*subject)
	if err != nil {
		return err
	}
	caKey, caCert, caDER, err := readCA(*ca)
	if err != nil {
		return err
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	template := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      name,
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(*valid),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	switch *usage {
	case "code-signing":
		template.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}
	case "server-auth":
		template.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	case "none":
	default:
		return fmt.Errorf("eku %q is not code-signing, server-auth or none", *usage)
	}
	der, err := x509.CreateCertificate(rand.Reader, template, caCert, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	return writeKeyAndCerts(*out, key, [][]byte{der, caDER}, ".chain.pem")
}

func readCA(prefix string) (crypto.Signer, *x509.Certificate, []byte, error) {
	keyPEM, err := os.ReadFile(prefix + ".key")
	if err != nil {
		return nil, nil, nil, err
	}
	certPEM, err := os.ReadFile(prefix + ".pem")
	if err != nil {
		return nil, nil, nil, err
	}
	keyBlock, _ := pem.Decode(keyPEM)
	certBlock, _ := pem.Decode(certPEM)
	if keyBlock == nil || certBlock == nil {
		return nil, nil, nil, fmt.Errorf("%s.key or %s.pem holds no PEM block", prefix, prefix)
	}
	key, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	if err != nil {
		return nil, nil, nil, err
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, nil, nil, err
	}
	return key.(crypto.Signer), cert, certBlock.Bytes, nil
}

func writeKeyAndCerts(prefix string, key *ecdsa.PrivateKey, ders [][]byte, certSuffix string) error {
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(prefix+".key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return err
	}
	var certs []byte
	for _, der := range ders {
		certs = append(certs, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	return os.WriteFile(prefix+certSuffix, certs, 0o644)
}

func sign(args []string) error {
	flags := flag.NewFlagSet("sign", flag.ExitOnError)
	keyPath := flags.String("key", "leaf.key", "the signing key (PKCS #8 PEM)")
	chainPath := flags.String("chain", "leaf.chain.pem", "the certificate chain, leaf first")
	envelope := flags.String("envelope", "jws", "jws or cose")
	expiry := flags.Duration("expiry", 0, "the signature's expiry after its signing time; 0 for none")
	profileVersion := flags.String("profile-version", "", "AWS Signer's signing profile version ARN, for a signing-authority signature")
	job := flags.String("job", "", "AWS Signer's signing job ARN, for a signing-authority signature")
	critical := flags.String("critical", "", "one more critical signed attribute, name=value, for a signing-authority signature")
	flags.Parse(args)
	if flags.NArg() != 1 {
		return fmt.Errorf("sign takes one reference, host:port/repository@sha256:...")
	}
	reference := flags.Arg(0)
	mediaType := map[string]string{"jws": "application/jose+json", "cose": "application/cose"}[*envelope]
	if mediaType == "" {
		return fmt.Errorf("envelope %q is not jws or cose", *envelope)
	}
	signing, err := signer.NewFromFiles(*keyPath, *chainPath)
	if err != nil {
		return err
	}
	repositoryName, _, _ := strings.Cut(reference, "@")
	remoteRepository, err := remote.NewRepository(repositoryName)
	if err != nil {
		return err
	}
	// The test registry listens on loopback without TLS.
	remoteRepository.PlainHTTP = true
	if *profileVersion != "" {
		return signAsAuthority(registry.NewRepository(remoteRepository), reference, *keyPath, *chainPath, mediaType, *expiry, *profileVersion, *job, *critical)
	}
	descriptor, err := notation.Sign(context.Background(), signing, registry.NewRepository(remoteRepository), notation.SignOptions{
		SignerSignOptions: notation.SignerSignOptions{
			SignatureMediaType: mediaType,
			ExpiryDuration:     *expiry,
			SigningAgent:       "notation-signer (notation-go v1.3.2)",
		},
		ArtifactReference: reference,
	})
	if err != nil {
		return err
	}
	fmt.Println(descriptor.Digest)
	return nil
}

// signAsAuthority signs as a signing authority (AWS Signer) does and pushes
// the signature as notation-go pushes its own.
func signAsAuthority(repository registry.Repository, reference, keyPath, chainPath, mediaType string, expiry time.Duration, profileVersion, job, critical string) error {
	ctx := context.Background()
	subject, err := repository.Resolve(ctx, reference)
	if err != nil {
		return err
	}
	key, certs, err := readKeyAndChain(keyPath, chainPath)
	if err != nil {
		return err
	}
	localSigner, err := signature.NewLocalSigner(certs, key)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(map[string]any{"targetArtifact": subject})
	if err != nil {
		return err
	}
	now := time.Now()
	request := &signature.SignRequest{
		Payload:       signature.Payload{ContentType: "application/vnd.cncf.notary.payload.v1+json", Content: payload},
		Signer:        localSigner,
		SigningTime:   now,
		SigningAgent:  "notation-signer (notation-core-go v1.3.0)",
		SigningScheme: signature.SigningSchemeX509SigningAuthority,
		ExtendedSignedAttributes: []signature.Attribute{
			{Key: "com.amazonaws.signer.signingProfileVersion", Critical: true, Value: profileVersion},
			{Key: "com.amazonaws.signer.signingJob", Critical: true, Value: job},
		},
	}
	if expiry > 0 {
		request.Expiry = now.Add(expiry)
	}
	if name, value, ok := strings.Cut(critical, "="); ok {
		request.ExtendedSignedAttributes = append(request.ExtendedSignedAttributes, signature.Attribute{Key: name, Critical: true, Value: value})
	}
	envelope, err := signature.NewEnvelope(mediaType)
	if err != nil {
		return err
	}
	blob, err := envelope.Sign(request)
	if err != nil {
		return err
	}
	_, manifest, err := repository.PushSignature(ctx, mediaType, blob, subject, nil)
	if err != nil {
		return err
	}
	fmt.Println(manifest.Digest)
	return nil
}

// readKeyAndChain reads a PKCS #8 key (none when keyPath is empty) and a PEM chain.
func readKeyAndChain(keyPath, chainPath string) (crypto.PrivateKey, []*x509.Certificate, error) {
	var key crypto.PrivateKey
	if keyPath != "" {
		keyPEM, err := os.ReadFile(keyPath)
		if err != nil {
			return nil, nil, err
		}
		block, _ := pem.Decode(keyPEM)
		if block == nil {
			return nil, nil, fmt.Errorf("%s holds no PEM block", keyPath)
		}
		if key, err = x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
			return nil, nil, err
		}
	}
	chainPEM, err := os.ReadFile(chainPath)
	if err != nil {
		return nil, nil, err
	}
	var certs []*x509.Certificate
	for rest := chainPEM; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, nil, err
		}
		certs = append(certs, cert)
	}
	return key, certs, nil
}

// revocationHashes prints the certificate hashes AWS Signer's
// GetRevocationStatus takes for a chain (leaf first), one a line: the SHA-384
// of each certificate's to-be-signed part joined with its issuer's, a root
// being its own issuer.
func revocationHashes(args []string) error {
	flags := flag.NewFlagSet("revocation-hashes", flag.ExitOnError)
	chainPath := flags.String("chain", "leaf.chain.pem", "the certificate chain, leaf first")
	flags.Parse(args)
	_, certs, err := readKeyAndChain("", *chainPath)
	if err != nil {
		return err
	}
	hashes := make([]string, len(certs))
	for i, cert := range certs {
		hashes[i] = fmt.Sprintf("%x", sha512.Sum384(cert.RawTBSCertificate))
	}
	for i := range hashes {
		issuer := hashes[i]
		if i+1 < len(hashes) {
			issuer = hashes[i+1]
		}
		fmt.Println(hashes[i] + issuer)
	}
	return nil
}
