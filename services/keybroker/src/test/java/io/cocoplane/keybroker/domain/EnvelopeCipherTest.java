package io.cocoplane.keybroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EnvelopeCipherTest {

    private static byte[] key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    private final EnvelopeCipher cipher = new EnvelopeCipher(new SecureRandom());
    private final byte[] value = "a model key".getBytes(StandardCharsets.UTF_8);

    @Test
    void sealsWithAFreshDataKeyAndOpens() {
        MasterKeyring ring = new MasterKeyring(Map.of("old", key(1)), "old");
        SealedSecret a = cipher.seal(ring, "r/t/x", 1, value);
        SealedSecret b = cipher.seal(ring, "r/t/x", 1, value);
        assertThat(a.wrappedKey()).hasSize(60).isNotEqualTo(b.wrappedKey());
        assertThat(a.ciphertext()).hasSize(value.length + 28).isNotEqualTo(b.ciphertext());
        assertThat(a.plaintextSize()).isEqualTo(value.length);
        assertThat(cipher.open(ring, "r/t/x", 1, a)).isEqualTo(value);
    }

    @Test
    void aRowMovedToAnotherPathOrVersionDoesNotOpen() {
        MasterKeyring ring = new MasterKeyring(Map.of("old", key(1)), "old");
        SealedSecret s = cipher.seal(ring, "r/t/x", 1, value);
        assertThatThrownBy(() -> cipher.open(ring, "r/t/y", 1, s)).isInstanceOf(SecretIntegrityException.class);
        assertThatThrownBy(() -> cipher.open(ring, "r/t/x", 2, s)).isInstanceOf(SecretIntegrityException.class);
        byte[] tampered = s.ciphertext().clone();
        tampered[20] ^= 1;
        assertThatThrownBy(() -> cipher.open(ring, "r/t/x", 1, new SealedSecret("old", s.wrappedKey(), tampered)))
                .isInstanceOf(SecretIntegrityException.class);
    }

    @Test
    void startupRewrapWithOldAndNewKeysMovesTheDataKeyAndKeepsTheValue() {
        MasterKeyring before = new MasterKeyring(Map.of("old", key(1)), "old");
        SealedSecret s = cipher.seal(before, "r/t/x", 3, value);
        MasterKeyring after = new MasterKeyring(Map.of("old", key(1), "new", key(2)), "new");
        SealedSecret moved = cipher.rewrap(after, "r/t/x", 3, s);
        assertThat(moved.masterKeyId()).isEqualTo("new");
        assertThat(moved.wrappedKey()).isNotEqualTo(s.wrappedKey());
        assertThat(moved.ciphertext()).isEqualTo(s.ciphertext());
        // the old key can be dropped afterwards
        MasterKeyring onlyNew = new MasterKeyring(Map.of("new", key(2)), "new");
        assertThat(cipher.open(onlyNew, "r/t/x", 3, moved)).isEqualTo(value);
        assertThatThrownBy(() -> cipher.open(onlyNew, "r/t/x", 3, s)).isInstanceOf(SecretIntegrityException.class)
                .hasMessageContaining("not configured");
        // a wrong key under the right id does not open either
        MasterKeyring impostor = new MasterKeyring(Map.of("new", key(9)), "new");
        assertThatThrownBy(() -> cipher.open(impostor, "r/t/x", 3, moved)).isInstanceOf(SecretIntegrityException.class);
    }

    @Test
    void keyringRefusesBadKeysAndNeverPrintsThem() {
        assertThatThrownBy(() -> new MasterKeyring(Map.of("k", new byte[16]), "k"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MasterKeyring(Map.of("k", key(1)), "other"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new MasterKeyring(Map.of("k", key(7)), "k").toString()).isEqualTo("MasterKeyring[primary=k, ids=[k]]");
    }
}
