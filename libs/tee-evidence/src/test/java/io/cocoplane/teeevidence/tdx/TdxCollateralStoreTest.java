package io.cocoplane.teeevidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.testkit.SharedTestData;

/**
 * A TDX collateral directory: TCB Infos indexed by FMSPC plus the TD_QE identity; a platform without collateral gets
 * {@code tcb_status "Unknown"} and {@code collateral_missing}. The corpus directory is used as it is (it holds other
 * JSON files, which are ignored).
 */
class TdxCollateralStoreTest {

    static final HexFormat HEX = HexFormat.of();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-01T00:00:00Z"), ZoneOffset.UTC);

    static String tcbInfo(String fmspc) {
        return "{\"tcbInfo\":{\"id\":\"TDX\",\"version\":3,\"fmspc\":\"" + fmspc + "\",\"pceId\":\"0000\"},"
                + "\"signature\":\"00\"}";
    }

    static final String QE = "{\"enclaveIdentity\":{\"id\":\"TD_QE\",\"version\":2},\"signature\":\"00\"}";

    @Test
    void corpusCollateralGivesQuote6ItsStatusAndOtherPlatformsUnknown() throws Exception {
        Path dir = SharedTestData.require("evidence/tdx");
        TdxCollateralStore store = TdxCollateralStore.load(dir);
        assertThat(store.tcbInfoCount()).isEqualTo(1);
        assertThat(store.hasQeIdentity()).isTrue();
        assertThat(store.ignored()).extracting(p -> p.getFileName().toString())
                .contains("parse_tdx_claims_expected.json");
        assertThat(store.forFmspc(HEX.parseHex("00a06d080000"))).isPresent();
        TdxVerifier v = TdxVerifier.builder().clock(CLOCK).collateralStore(store).build();

        byte[] q6 = Files.readAllBytes(dir.resolve("tdx_quote_6.dat"));
        Claims c6 = v.verify(q6, ExpectedValues.reportData(Arrays.copyOfRange(q6, 48 + 520, 48 + 520 + 48)));
        assertThat(c6.get("tcb_status")).isEqualTo("OutOfDate");
        assertThat(c6.get("collateral_expiration_status")).isEqualTo("0");
        assertThat(c6.teeClaims()).doesNotContainKey("collateral_missing");

        byte[] q4 = Files.readAllBytes(dir.resolve("tdx_quote_4.dat"));
        Claims c4 = v.verify(q4, ExpectedValues.none());
        assertThat(c4.get("tcb_status")).isEqualTo("Unknown");
        assertThat(c4.get("collateral_missing")).isEqualTo(true);
    }

    @Test
    void documentsAreClassifiedByContentAndAmbiguityIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.json"), tcbInfo("00A06D080000"));
        Files.writeString(dir.resolve("b.json"), tcbInfo("00806f050000"));
        Files.writeString(dir.resolve("notes.json"), "{\"hello\":1}");
        Files.writeString(dir.resolve("readme.txt"), "not json, not read");
        TdxCollateralStore noQe = TdxCollateralStore.load(dir);
        assertThat(noQe.tcbInfoCount()).isEqualTo(2);
        assertThat(noQe.hasQeIdentity()).isFalse();
        // without the QE Identity no platform has complete collateral
        assertThat(noQe.forFmspc(HEX.parseHex("00a06d080000"))).isEmpty();
        assertThat(noQe.ignored()).extracting(p -> p.getFileName().toString()).containsExactly("notes.json");

        Files.writeString(dir.resolve("qe.json"), QE);
        TdxCollateralStore full = TdxCollateralStore.load(dir);
        assertThat(full.forFmspc(HEX.parseHex("00a06d080000"))).isPresent();
        assertThat(full.forFmspc(HEX.parseHex("00806f050000"))).isPresent();
        assertThat(full.forFmspc(HEX.parseHex("000000000000"))).isEmpty();

        Files.writeString(dir.resolve("c.json"), tcbInfo("00a06d080000"));
        assertThatThrownBy(() -> TdxCollateralStore.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two TCB Infos for FMSPC 00a06d080000");
        Files.delete(dir.resolve("c.json"));
        Files.writeString(dir.resolve("qe2.json"), QE);
        assertThatThrownBy(() -> TdxCollateralStore.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two TD_QE");
    }

    @Test
    void badFilesAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TdxCollateralStore.load(dir.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{");
        assertThatThrownBy(() -> TdxCollateralStore.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.json");
        Files.writeString(broken, tcbInfo("00a06d080000").replace("\"version\":3", "\"version\":2"));
        assertThatThrownBy(() -> TdxCollateralStore.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.json").hasMessageContaining("version 3");
        Files.writeString(broken, tcbInfo("xyz"));
        assertThatThrownBy(() -> TdxCollateralStore.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fmspc");
        Files.write(broken, new byte[TdxCollateral.MAX_JSON_BYTES + 1]);
        assertThatThrownBy(() -> TdxCollateralStore.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("larger than");
        Files.writeString(broken, QE.replace("\"version\":2", "\"version\":1"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> TdxCollateralStore.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2");
    }
}
