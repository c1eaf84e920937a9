package io.vmegcamel.ledger;

/** Where a dropped source file is in its life. */
public enum JobState {
    /** Registered; MD5 and spec known. The ingest exchange is still running (or crashed: the file is still in the inbox). */
    RECEIVED,
    /** The material is registered at VMEG. */
    UPLOADED,
    /** Every task of the job is submitted; the source file is being moved out of the inbox. */
    SUBMITTED,
    /** The source file waits in the processing folder for the tasks to finish. */
    PROCESSING,
    /** Every language delivered; the source file is archived. */
    COMPLETED,
    /** Every task ended, at least one language failed; the source file is in the failed folder with an error file. */
    FAILED,
    /** The file could not be taken (bad spec, refused by VMEG, VMEG unreachable); it is in the failed folder. */
    INGEST_FAILED,
    /**
     * Over a cost cap: nothing submitted, its tasks HELD, the source file in the held folder with a report, until an
     * operator releases the job ({@code jobs release}) or gives up on it ({@code jobs give-up}).
     */
    HELD,
    /** Same content and spec as earlier jobs, every language already paid for: nothing was submitted. */
    DUPLICATE;

    /** Left by a crash during ingest: dropping the file again resumes the job with its recorded spec. */
    public boolean isInterrupted() {
        return this == RECEIVED || this == UPLOADED || this == SUBMITTED;
    }
}
