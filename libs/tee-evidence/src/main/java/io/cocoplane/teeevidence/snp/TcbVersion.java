package io.cocoplane.teeevidence.snp;

/**
 * An SNP TCB_VERSION (8 bytes) decoded per generation ({@code kbs-attestation.md} §6.1): Milan/Genoa
 * {@code [bl, tee, 0, 0, 0, 0, snp, ucode]}, Turin {@code [fmc, bl, tee, snp, 0, 0, 0, ucode]}.
 *
 * @param fmc FMC SPL (Turin only), or {@code null}
 * @param bootloader boot loader SPL, 0–255
 * @param tee PSP OS (TEE) SPL, 0–255
 * @param snp SNP firmware SPL, 0–255
 * @param microcode microcode SPL, 0–255
 */
public record TcbVersion(Integer fmc, int bootloader, int tee, int snp, int microcode) {

    /**
     * @param raw 8 bytes at the TCB field's offset
     * @param turinLayout whether to use the Turin layout
     * @return the decoded TCB (reserved bytes are ignored)
     * @throws IllegalArgumentException when {@code raw} is not 8 bytes
     */
    public static TcbVersion decode(byte[] raw, boolean turinLayout) {
        if (raw.length != 8) {
            throw new IllegalArgumentException("TCB_VERSION is 8 bytes");
        }
        if (turinLayout) {
            return new TcbVersion(raw[0] & 0xff, raw[1] & 0xff, raw[2] & 0xff, raw[3] & 0xff, raw[7] & 0xff);
        }
        return new TcbVersion(null, raw[0] & 0xff, raw[1] & 0xff, raw[6] & 0xff, raw[7] & 0xff);
    }

    /**
     * @param turinLayout whether to use the Turin layout ({@code fmc} is written as 0 when null)
     * @return the 8-byte encoding, reserved bytes zero
     */
    public byte[] encode(boolean turinLayout) {
        byte[] b = new byte[8];
        if (turinLayout) {
            b[0] = (byte) (fmc == null ? 0 : fmc);
            b[1] = (byte) bootloader;
            b[2] = (byte) tee;
            b[3] = (byte) snp;
        } else {
            b[0] = (byte) bootloader;
            b[1] = (byte) tee;
            b[6] = (byte) snp;
        }
        b[7] = (byte) microcode;
        return b;
    }
}
