package io.cocoplane.teeevidence.tdx;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.cocoplane.teeevidence.Bytes;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;

/**
 * A TDX CC event log (the CCEL ACPI table's log area) in TCG2 crypto-agile format (TCG PC Client Platform Firmware
 * Profile §10.2; UEFI 2.10 §38.4.1 "EFI_CC_MEASUREMENT_PROTOCOL"; {@code kbs-attestation.md} §7.2).
 *
 * <p>Layout (little-endian): a legacy first event {@code TCG_PCR_EVENT} (mr_index u32, event_type u32, SHA-1 digest
 * 20 bytes, event_size u32, event = {@code "Spec ID Event03"} structure: signature 16, platformClass u32, version 3
 * bytes, uintnSize u8, numberOfAlgorithms u32, {algorithmId u16, digestSize u16}×n, vendorInfoSize u8, vendorInfo);
 * then {@code TCG_PCR_EVENT2} entries (mr_index u32, event_type u32, digest count u32, {algorithmId u16, digest}×count,
 * event_size u32, event). The log ends at an entry whose mr_index is {@code 0xFFFFFFFF}, an all-zero header (unused
 * table space) or the end of the data. CC MR index 1…4 are RTMR0…3; replay is
 * {@code RTMR[i] = SHA-384(RTMR[i] ‖ digest)} over the SHA-384 digests of every event except
 * {@code EV_NO_ACTION} (3).
 *
 * @param events the parsed {@code TCG_PCR_EVENT2} entries, in log order
 */
public record CcEventLog(List<Event> events) {

    /** Most events accepted. */
    public static final int MAX_EVENTS = 16_384;
    /** TPM_ALG_SHA384. */
    public static final int ALG_SHA384 = 0x000C;
    /** EV_NO_ACTION: informational, never extended. */
    public static final long EV_NO_ACTION = 3;

    /**
     * One event.
     *
     * @param mrIndex CC measurement register index (1…4 = RTMR0…3)
     * @param eventType TCG event type
     * @param sha384 the SHA-384 digest, or {@code null} when the entry has none
     * @param data the event data
     */
    public record Event(long mrIndex, long eventType, byte[] sha384, byte[] data) {
    }

    /** Copies the list. */
    public CcEventLog {
        events = List.copyOf(events);
    }

    /**
     * @param log the event log bytes (≤ {@link TdxVerifier#MAX_CCEL_BYTES})
     * @return the parsed log
     * @throws Malformed with the offset of a truncated or inconsistent entry (unknown digest algorithm, too many
     *         events, no Spec ID event)
     */
    public static CcEventLog parse(byte[] log) throws Malformed {
        if (log.length > TdxVerifier.MAX_CCEL_BYTES) {
            throw new Malformed("event log larger than " + TdxVerifier.MAX_CCEL_BYTES + " bytes", -1);
        }
        // legacy Spec ID event
        long specSize = Bytes.u32(log, 28, "spec_id_event.size");
        byte[] spec = Bytes.slice(log, 32, (int) Math.min(specSize, Integer.MAX_VALUE), "spec_id_event");
        if (spec.length < 29 || !new String(spec, 0, 15, java.nio.charset.StandardCharsets.US_ASCII)
                .equals("Spec ID Event03")) {
            throw new Malformed("first event is not a \"Spec ID Event03\"", 32);
        }
        long algCount = Bytes.u32(spec, 24, "numberOfAlgorithms");
        if (algCount > 16) {
            throw new Malformed("too many digest algorithms", 32 + 24);
        }
        int[][] algs = new int[(int) algCount][2];
        for (int i = 0; i < algCount; i++) {
            algs[i][0] = Bytes.u16(spec, 28 + 4 * i, "algorithmId");
            algs[i][1] = Bytes.u16(spec, 30 + 4 * i, "digestSize");
        }
        int p = 32 + spec.length;
        List<Event> events = new ArrayList<>();
        while (log.length - p >= 8) {
            long mr = Bytes.u32(log, p, "mr_index");
            long type = Bytes.u32(log, p + 4, "event_type");
            if (mr == 0xFFFFFFFFL || (mr == 0 && type == 0)) {
                break;
            }
            if (events.size() >= MAX_EVENTS) {
                throw new Malformed("more than " + MAX_EVENTS + " events", p);
            }
            int start = p;
            long count = Bytes.u32(log, p + 8, "digest_count");
            if (count > algCount) {
                throw new Malformed("digest count " + count + " exceeds the Spec ID algorithms", p + 8);
            }
            p += 12;
            byte[] sha384 = null;
            for (int i = 0; i < count; i++) {
                int alg = Bytes.u16(log, p, "algorithmId");
                int size = -1;
                for (int[] a : algs) {
                    if (a[0] == alg) {
                        size = a[1];
                    }
                }
                if (size < 0) {
                    throw new Malformed("digest algorithm 0x" + Integer.toHexString(alg) + " not in Spec ID", p);
                }
                byte[] d = Bytes.slice(log, p + 2, size, "digest");
                if (alg == ALG_SHA384) {
                    sha384 = d;
                }
                p += 2 + size;
            }
            long size = Bytes.u32(log, p, "event_size");
            if (size > log.length - p - 4) {
                throw new Malformed("event_size " + size + " exceeds the log", p);
            }
            byte[] data = Arrays.copyOfRange(log, p + 4, p + 4 + (int) size);
            p += 4 + (int) size;
            events.add(new Event(mr, type, sha384, data));
            if (p <= start) {
                throw new Malformed("event log does not advance", start);
            }
        }
        return new CcEventLog(events);
    }

    /**
     * @return RTMR0…3 (48 bytes each) obtained by replaying every non-{@code EV_NO_ACTION} event with CC MR index
     *         1…4 from zero registers
     */
    public byte[][] replayRtmrs() {
        byte[][] rtmr = new byte[4][48];
        try {
            for (Event e : events) {
                if (e.eventType() == EV_NO_ACTION || e.mrIndex() < 1 || e.mrIndex() > 4 || e.sha384() == null) {
                    continue;
                }
                int i = (int) e.mrIndex() - 1;
                MessageDigest md = MessageDigest.getInstance("SHA-384");
                md.update(rtmr[i]);
                md.update(e.sha384());
                rtmr[i] = md.digest();
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return rtmr;
    }
}
