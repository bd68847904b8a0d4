package io.cocoplane.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** RFC 9110 single ranges on blob GET and the upload {@code Content-Range}. */
class ByteRangeTest {

    @Test
    void rangeHeaderForms() {
        assertThat(ByteRange.parseRangeHeader(null, 10)).isNull();
        assertThat(ByteRange.parseRangeHeader("bytes=0-4", 10)).isEqualTo(new ByteRange(0, 4));
        assertThat(ByteRange.parseRangeHeader("bytes=5-", 10)).isEqualTo(new ByteRange(5, 9));
        assertThat(ByteRange.parseRangeHeader("bytes=-3", 10)).isEqualTo(new ByteRange(7, 9));
        assertThat(ByteRange.parseRangeHeader("bytes=-30", 10)).isEqualTo(new ByteRange(0, 9));
        assertThat(ByteRange.parseRangeHeader("bytes=8-100", 10)).isEqualTo(new ByteRange(8, 9));
        for (String bad : new String[] {"bytes=10-", "bytes=5-4", "bytes=-0", "bytes=-", "items=0-1", "bytes=0-1,3-4",
            "bytes=99999999999999999999-"}) {
            assertThatThrownBy(() -> ByteRange.parseRangeHeader(bad, 10)).isInstanceOfSatisfying(
                    RegistryException.class, e -> assertThat(e.status()).isEqualTo(416));
        }
    }

    @Test
    void contentRangeForms() {
        assertThat(ByteRange.parseContentRange("0-19")).isEqualTo(new ByteRange(0, 19));
        assertThat(ByteRange.parseContentRange("bytes 20-29/*")).isEqualTo(new ByteRange(20, 29));
        assertThat(ByteRange.parseContentRange("")).isNull();
        assertThatThrownBy(() -> ByteRange.parseContentRange("5-4")).isInstanceOf(RegistryException.class);
        assertThatThrownBy(() -> ByteRange.parseContentRange("a-b")).isInstanceOf(RegistryException.class);
    }
}
