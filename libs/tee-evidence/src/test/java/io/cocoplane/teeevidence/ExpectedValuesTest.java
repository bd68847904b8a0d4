package io.cocoplane.teeevidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Size limits of {@link ExpectedValues} and the bounds checks of {@link Bytes}. */
class ExpectedValuesTest {

    @Test
    void digestSizesAreBounded() {
        assertThatThrownBy(() -> ExpectedValues.reportData(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExpectedValues.reportData(new byte[65])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExpectedValues.reportData(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExpectedValues.none().withInitDataDigest(new byte[65]))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] d = new byte[48];
        ExpectedValues e = ExpectedValues.reportData(d);
        d[0] = 1; // defensive copy
        assertThat(e.reportData()[0]).isZero();
        assertThat(e).isEqualTo(ExpectedValues.reportData(new byte[48]));
    }

    @Test
    void boundsChecksReportTheOffset() {
        byte[] b = new byte[10];
        assertThatThrownBy(() -> Bytes.u32(b, 8, "x")).isInstanceOf(EvidenceRefusedException.Malformed.class)
                .satisfies(e -> assertThat(((EvidenceRefusedException.Malformed) e).offset()).isEqualTo(8));
        assertThatThrownBy(() -> Bytes.slice(b, 4, Integer.MAX_VALUE, "x"))
                .isInstanceOf(EvidenceRefusedException.Malformed.class);
        assertThatThrownBy(() -> Bytes.u16(b, -1, "x")).isInstanceOf(EvidenceRefusedException.Malformed.class);
        assertThat(Bytes.regularize(new byte[] {1, 2, 3}, 2)).containsExactly(1, 2);
        assertThat(Bytes.regularize(new byte[] {1}, 3)).containsExactly(1, 0, 0);
    }

    @Test
    void refusalsNameTheirCheck() {
        assertThat(new EvidenceRefusedException.ReportDataMismatch("x").check()).isEqualTo("report_data");
        assertThat(new EvidenceRefusedException.Malformed("x", 5).getMessage()).contains("offset 5");
        assertThat(new EvidenceRefusedException.PolicyViolation("vmpl", "x").check()).isEqualTo("vmpl");
    }
}
