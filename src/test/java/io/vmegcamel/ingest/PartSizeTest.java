package io.vmegcamel.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The part size a multipart upload commits to: VMEG's suggestion or the configured floor, within S3's limits. */
class PartSizeTest {

    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;

    @Test
    void vmegsRecommendationIsTakenWhenTheFileFitsInItsPartLimit() {
        assertThat(MaterialUploader.partSize(8 * MIB, 0, 2 * GIB)).isEqualTo(8 * MIB);
        assertThat(MaterialUploader.partSize(64 * MIB, 0, 2 * GIB)).isEqualTo(64 * MIB);
    }

    @Test
    void aRecommendationBelowS3sMinimumOrNoneGivesFiveMib() {
        assertThat(MaterialUploader.partSize(1024, 0, 2 * GIB)).isEqualTo(5 * MIB);
        assertThat(MaterialUploader.partSize(0, 0, 2 * GIB)).isEqualTo(5 * MIB);
    }

    @Test
    void aFileTooLargeForTenThousandRecommendedPartsGetsLargerOnes() {
        long size = 100 * GIB + 1;
        long part = MaterialUploader.partSize(8 * MIB, 0, size);
        assertThat((size + part - 1) / part).isEqualTo(10_000);
        assertThat((size + part - 2) / (part - 1)).as("the smallest size that fits").isGreaterThan(10_000);
        assertThat(MaterialUploader.partSize(8 * MIB, 0, 10_000 * 8 * MIB)).isEqualTo(8 * MIB);
        assertThat(MaterialUploader.partSize(8 * MIB, 0, 10_000 * 8 * MIB + 1)).isGreaterThan(8 * MIB);
    }

    @Test
    void aRecommendationBeyondS3sLargestPartGivesFiveGib() {
        assertThat(MaterialUploader.partSize(1L << 40, 0, 12 * GIB)).isEqualTo(5 * GIB);
        assertThat(MaterialUploader.partSize(Long.MAX_VALUE, 64 * MIB, 2 * GIB)).isEqualTo(5 * GIB);
    }

    @Test
    void theFloorRaisesASmallerRecommendationButNotALargerOne() {
        assertThat(MaterialUploader.partSize(8 * MIB, 64 * MIB, 2 * GIB)).isEqualTo(64 * MIB);
        assertThat(MaterialUploader.partSize(128 * MIB, 64 * MIB, 2 * GIB)).isEqualTo(128 * MIB);
        assertThat(MaterialUploader.partSize(8 * MIB, 64 * MIB, 100 * MIB)).isEqualTo(64 * MIB);
    }
}
