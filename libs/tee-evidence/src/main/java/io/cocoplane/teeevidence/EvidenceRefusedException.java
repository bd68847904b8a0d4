package io.cocoplane.teeevidence;

/**
 * Base of every refusal raised by an {@link EvidenceVerifier}: the evidence was not accepted, and {@link #check()}
 * names the check that failed (a stable, lowercase identifier suitable for logs and error responses).
 *
 * <p>The hierarchy is sealed: a caller can switch exhaustively over the nested subclasses. It is a checked exception
 * because refusing evidence is an expected outcome of attestation, not a programming error. No verifier lets an
 * unchecked exception (index error, null pointer, parser exception) escape for bad input; such input is reported as
 * {@link Malformed}.
 */
public abstract sealed class EvidenceRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String check;

    private EvidenceRefusedException(String check, String message, Throwable cause) {
        super(check + ": " + message, cause);
        this.check = check;
    }

    /**
     * @return the identifier of the failed check, e.g. {@code "report_signature"} or {@code "report_data"}
     */
    public String check() {
        return check;
    }

    /** A signature over the evidence (SNP report, TDX quote, QE report, TPM quote) does not verify. */
    public static final class SignatureInvalid extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param what which signature failed, e.g. {@code "report_signature"}
         * @param message detail
         * @param cause optional underlying JCA exception
         */
        public SignatureInvalid(String what, String message, Throwable cause) {
            super(what, message, cause);
        }
    }

    /** The endorsement certificate chain does not lead to a trusted root (bad signature, wrong issuer, wrong root). */
    public static final class ChainInvalid extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message detail
         * @param cause optional underlying exception
         */
        public ChainInvalid(String message, Throwable cause) {
            super("cert_chain", message, cause);
        }
    }

    /** A certificate of the chain is outside its validity period at the verifier's clock instant. */
    public static final class CertificateExpired extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message detail naming the certificate and its validity window
         */
        public CertificateExpired(String message) {
            super("cert_validity", message, null);
        }
    }

    /** The TCB in the evidence disagrees with the endorsement (SNP leaf TCB extensions vs {@code reported_tcb}). */
    public static final class TcbMismatch extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message detail naming the component and both values
         */
        public TcbMismatch(String message) {
            super("tcb", message, null);
        }
    }

    /** The SNP VCEK hwID extension does not equal the report's {@code chip_id}. */
    public static final class ChipIdMismatch extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message detail
         */
        public ChipIdMismatch(String message) {
            super("chip_id", message, null);
        }
    }

    /** The SNP report's {@code key_info.signing_key} does not match the leaf type (VCEK vs VLEK). */
    public static final class SigningKeyMismatch extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message detail
         */
        public SigningKeyMismatch(String message) {
            super("signing_key", message, null);
        }
    }

    /** The evidence's report-data field does not equal the expected runtime-data digest (padded to the field). */
    public static final class ReportDataMismatch extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message detail
         */
        public ReportDataMismatch(String message) {
            super("report_data", message, null);
        }
    }

    /** The evidence's init-data field (SNP HOST_DATA, TDX MRCONFIGID, sample {@code init_data}) is not the expected digest. */
    public static final class InitDataMismatch extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message detail
         */
        public InitDataMismatch(String message) {
            super("init_data", message, null);
        }
    }

    /** Replaying the event log (TDX CCEL) does not reproduce the measurement registers in the evidence. */
    public static final class EventLogMismatch extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message detail naming the register and both values
         */
        public EventLogMismatch(String message) {
            super("event_log", message, null);
        }
    }

    /** A verifier policy (accepted report versions, VMPL, debug, TEE type, attestation key type…) rejects the evidence. */
    public static final class PolicyViolation extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param rule the policy rule, e.g. {@code "report_version"}, {@code "vmpl"}
         * @param message detail
         */
        public PolicyViolation(String rule, String message) {
            super(rule, message, null);
        }
    }

    /** Endorsement material or collateral needed to verify is missing (no leaf certificate, no KDS store entry). */
    public static final class EndorsementMissing extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message detail
         */
        public EndorsementMissing(String message) {
            super("endorsement", message, null);
        }
    }

    /** TDX collateral (TCB Info, QE Identity) is malformed, for another platform, or rejects the QE/platform. */
    public static final class CollateralInvalid extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message detail
         */
        public CollateralInvalid(String message) {
            super("collateral", message, null);
        }
    }

    /**
     * The evidence cannot be parsed. {@link #offset()} is the byte offset in the binary structure (report, quote,
     * certificate) where parsing failed, or {@code -1} when the problem is in a JSON member rather than at a byte
     * offset.
     */
    public static final class Malformed extends EvidenceRefusedException {
        private static final long serialVersionUID = 1L;

        private final long offset;

        /**
         * @param message detail
         * @param offset byte offset of the offending field, or {@code -1}
         */
        public Malformed(String message, long offset) {
            this(message, offset, null);
        }

        /**
         * @param message detail
         * @param offset byte offset of the offending field, or {@code -1}
         * @param cause optional parser exception
         */
        public Malformed(String message, long offset, Throwable cause) {
            super("malformed", offset >= 0 ? message + " (at byte offset " + offset + ")" : message, cause);
            this.offset = offset;
        }

        /**
         * @return the byte offset where parsing failed, or {@code -1} for JSON-level problems
         */
        public long offset() {
            return offset;
        }
    }
}
