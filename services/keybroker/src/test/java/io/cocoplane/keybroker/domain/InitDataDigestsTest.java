package io.cocoplane.keybroker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InitDataDigestsTest {

    private static final String SHA256 = "11".repeat(32);
    private static final String SHA384 = "22".repeat(48);

    @Test
    void exactPaddedAndTruncatedFieldsMatch() {
        assertThat(InitDataDigests.matches(SHA256, SHA256)).isTrue();
        assertThat(InitDataDigests.matches(SHA256.toUpperCase(), SHA256)).isTrue();
        assertThat(InitDataDigests.matches(SHA256 + "00".repeat(16), SHA256)).as("TDX MRCONFIGID").isTrue();
        assertThat(InitDataDigests.matches(SHA384.substring(0, 64), SHA384)).as("SNP HOST_DATA").isTrue();
    }

    @Test
    void anythingElseDoesNot() {
        assertThat(InitDataDigests.matches(SHA256 + "01" + "00".repeat(15), SHA256)).isFalse();
        assertThat(InitDataDigests.matches(SHA384.substring(0, 62), SHA384)).as("shorter than 32 bytes").isFalse();
        assertThat(InitDataDigests.matches("33".repeat(32), SHA256)).isFalse();
        assertThat(InitDataDigests.matches("zz", "zz")).isFalse();
        assertThat(InitDataDigests.matches("", "")).isFalse();
        assertThat(InitDataDigests.matches(null, SHA256)).isFalse();
        assertThat(InitDataDigests.lookupKey(SHA384)).isEqualTo(SHA384.substring(0, 64));
    }

    @Test
    void keyIdsLoseTheirScheme() {
        assertThat(WorkloadBinding.resourcePathOf("kbs:///a/b/c")).isEqualTo("a/b/c");
        assertThat(WorkloadBinding.resourcePathOf("kbs://kbs.local:8080/a/b/c")).isEqualTo("a/b/c");
        assertThat(WorkloadBinding.resourcePathOf("a/b/c")).isEqualTo("a/b/c");
    }
}
