package io.vmegcamel.ledger;

import java.time.Instant;

/**
 * What the cost guard knows of a job: the material's duration (VMEG's {@code Material.duration}, milliseconds),
 * its credit estimate per target language and for the languages it submits, and whether an operator released it.
 * Any of them may be null (not known yet, not released).
 */
public record JobCost(Long durationMs, Long creditsPerLanguage, Long estimatedCredits, Instant releasedAt) {

    public static final JobCost NONE = new JobCost(null, null, null, null);
}
