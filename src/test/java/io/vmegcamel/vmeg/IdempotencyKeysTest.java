package io.vmegcamel.vmeg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    @Test
    void taskKeysAreDeterministic64HexCharsAndDifferPerLanguageAndAttempt() {
        String key = IdempotencyKeys.forTask("9e107d9d372bb6826bd81d3542a419d6", "a".repeat(64), "de-DE", 0);
        assertThat(key).hasSize(64).matches("[0-9a-f]{64}")
                .isEqualTo(IdempotencyKeys.forTask("9e107d9d372bb6826bd81d3542a419d6", "a".repeat(64), "de-DE", 0))
                .isNotEqualTo(IdempotencyKeys.forTask("9e107d9d372bb6826bd81d3542a419d6", "a".repeat(64), "fr-FR", 0))
                .isNotEqualTo(IdempotencyKeys.forTask("9e107d9d372bb6826bd81d3542a419d6", "a".repeat(64), "de-DE", 1))
                .isNotEqualTo(IdempotencyKeys.forTask("00000000000000000000000000000000", "a".repeat(64), "de-DE", 0));
    }

    @Test
    void freshKeysAreUniqueAndShortEnough() {
        assertThat(IdempotencyKeys.fresh()).isNotEqualTo(IdempotencyKeys.fresh()).hasSizeLessThanOrEqualTo(64);
    }
}
