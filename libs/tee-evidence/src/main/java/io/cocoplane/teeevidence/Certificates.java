package io.cocoplane.teeevidence;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.cocoplane.teeevidence.EvidenceRefusedException.CertificateExpired;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;

/**
 * X.509 helpers shared by the SNP and TDX verifiers (JDK {@code CertificateFactory}; no path building, because AMD
 * certificates have serial 0 and no AKI/SKI, §11).
 */
public final class Certificates {

    /** Most certificates accepted in one PEM bundle. */
    public static final int MAX_PEM_CERTS = 8;

    private Certificates() {
    }

    /**
     * @param der one DER certificate
     * @param what name for messages
     * @return the certificate
     * @throws Malformed when it does not parse (offset -1)
     */
    public static X509Certificate fromDer(byte[] der, String what) throws Malformed {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new Malformed(what + " is not a DER X.509 certificate: " + e.getMessage(), -1, e);
        }
    }

    /**
     * @param pem concatenated PEM certificates (ASCII), at most {@value #MAX_PEM_CERTS}
     * @param what name for messages
     * @return the certificates in order
     * @throws Malformed when the bundle does not parse, is empty or too long
     */
    public static List<X509Certificate> fromPem(byte[] pem, String what) throws Malformed {
        Collection<? extends java.security.cert.Certificate> cs;
        try {
            cs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        } catch (CertificateException | RuntimeException e) {
            throw new Malformed(what + " is not a PEM certificate bundle: " + e.getMessage(), -1, e);
        }
        if (cs.isEmpty() || cs.size() > MAX_PEM_CERTS) {
            throw new Malformed(what + " must hold 1.." + MAX_PEM_CERTS + " certificates, got " + cs.size(), -1);
        }
        List<X509Certificate> out = new ArrayList<>();
        for (var c : cs) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    /**
     * Loads a PEM bundle from the class path (library resources).
     *
     * @param resource absolute class-path resource name
     * @return the certificates
     * @throws IllegalStateException when the resource is missing or corrupt (a packaging bug)
     */
    public static List<X509Certificate> resourcePem(String resource) {
        try (InputStream in = Certificates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return fromPem(in.readAllBytes(), resource);
        } catch (IOException | Malformed e) {
            throw new IllegalStateException("cannot load " + resource, e);
        }
    }

    /**
     * @param cert certificate
     * @param now the verification instant
     * @param what name for messages
     * @throws CertificateExpired when {@code now} is before notBefore or after notAfter
     */
    public static void checkValidity(X509Certificate cert, Instant now, String what) throws CertificateExpired {
        checkValidity(cert, now, Duration.ZERO, what);
    }

    /**
     * Validity check with a clock tolerance: the certificate counts as valid from {@code notBefore − tolerance} to
     * {@code notAfter + tolerance} inclusive (for verifiers whose clock may be off by that much).
     *
     * @param cert certificate
     * @param now the verification instant
     * @param tolerance accepted clock skew, zero or positive
     * @param what name for messages
     * @throws CertificateExpired when {@code now} is outside the widened validity period
     * @throws IllegalArgumentException when {@code tolerance} is negative
     */
    public static void checkValidity(X509Certificate cert, Instant now, Duration tolerance, String what)
            throws CertificateExpired {
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("clock tolerance must not be negative: " + tolerance);
        }
        if (now.isBefore(cert.getNotBefore().toInstant().minus(tolerance))
                || now.isAfter(cert.getNotAfter().toInstant().plus(tolerance))) {
            throw new CertificateExpired(what + " (" + cert.getSubjectX500Principal().getName() + ") is valid "
                    + cert.getNotBefore().toInstant() + " .. " + cert.getNotAfter().toInstant() + ", not at " + now
                    + (tolerance.isZero() ? "" : " (clock tolerance " + tolerance + ")"));
        }
    }

    /**
     * @param cert certificate
     * @param now the verification instant
     * @param tolerance accepted clock skew, zero or positive
     * @return whether {@code now} is after {@code notAfter + tolerance}
     */
    public static boolean isExpired(X509Certificate cert, Instant now, Duration tolerance) {
        return now.isAfter(cert.getNotAfter().toInstant().plus(tolerance));
    }

    /**
     * @param cert certificate
     * @return the value of the subject's first CN, or the empty string
     */
    public static String commonName(X509Certificate cert) {
        try {
            var name = new org.bouncycastle.asn1.x500.X500Name(
                    cert.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253));
            var rdns = name.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
            return rdns.length == 0 ? "" : rdns[0].getFirst().getValue().toString();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * @return the PEM text of a certificate (for diagnostics)
     */
    public static String toPem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
