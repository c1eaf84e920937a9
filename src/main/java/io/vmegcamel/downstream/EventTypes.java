package io.vmegcamel.downstream;

import java.util.List;

/** The CloudEvent types this bundle emits: {@code io.vmegcamel.<product>.<task|job>.<outcome>}. */
public final class EventTypes {

    public static final String PREFIX = "io.vmegcamel.media-translation.";
    /** A task's deliverables are downloaded into the outbox. */
    public static final String TASK_FINISHED = PREFIX + "task.finished";
    /** VMEG reported a task failed. */
    public static final String TASK_FAILED = PREFIX + "task.failed";
    /** Every language of a source file is delivered. */
    public static final String JOB_COMPLETED = PREFIX + "job.completed";
    /** Every language has ended and at least one failed; the others are delivered. */
    public static final String JOB_FAILED = PREFIX + "job.failed";

    public static final List<String> ALL = List.of(TASK_FINISHED, TASK_FAILED, JOB_COMPLETED, JOB_FAILED);

    private EventTypes() {
    }
}
