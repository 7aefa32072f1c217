import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

/**
 * Cloudflare's encryption mode between its edge and the origin. `flexible` is not offered: it sends
 * the origin leg in clear text and loops with an origin that redirects port 80 to https.
 */
export type OriginSslMode = "full" | "strict";

/** 15 years: the longest Origin CA validity, used for the self-signed certificate too. */
export const originCertificateValidityDays = 5475;

/** An origin certificate and its private key (a Pulumi secret). */
export interface OriginCertificate {
  /** PEM certificate (chain included when there is one). */
  readonly certificatePem: pulumi.Output<string>;
  /** PEM private key, always a Pulumi secret. */
  readonly privateKeyPem: pulumi.Output<string>;
}

/**
 * The origin certificate for `domain`: a Cloudflare Origin CA certificate for `strict` (signed from
 * a CSR, so the key never leaves Pulumi), or a self-signed one for `full`. The key is ECDSA P-256,
 * which both Origin CA (`origin-ecc`) and nginx support.
 */
export function originCertificate(
  name: string,
  domain: string,
  mode: OriginSslMode,
  parent: pulumi.Resource,
): OriginCertificate {
  const key = new tls.PrivateKey(
    `${name}-key`,
    { algorithm: "ECDSA", ecdsaCurve: "P256" },
    { parent },
  );
  // The provider marks the PEM secret in a real engine; marking it here too keeps that guarantee
  // independent of provider schemas (and visible to unit tests).
  const privateKeyPem = pulumi.secret(key.privateKeyPem);
  switch (mode) {
    case "strict": {
      const csr = new tls.CertRequest(
        `${name}-csr`,
        { privateKeyPem, subject: { commonName: domain }, dnsNames: [domain] },
        { parent },
      );
      const certificate = new cloudflare.OriginCaCertificate(
        `${name}-cert`,
        {
          csr: csr.certRequestPem,
          hostnames: [domain],
          requestType: "origin-ecc",
          requestedValidity: originCertificateValidityDays,
        },
        { parent },
      );
      return { certificatePem: certificate.certificate, privateKeyPem };
    }
    case "full": {
      const certificate = new tls.SelfSignedCert(
        `${name}-cert`,
        {
          privateKeyPem,
          subject: { commonName: domain },
          dnsNames: [domain],
          allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
          validityPeriodHours: originCertificateValidityDays * 24,
        },
        { parent },
      );
      return { certificatePem: certificate.certPem, privateKeyPem };
    }
    default: {
      const unknownMode: never = mode;
      throw new Error(`unknown SSL mode ${String(unknownMode)}`);
    }
  }
}
