package io.vmegcamel.ledger;

/** Where one (source, target language) VMEG task is. Transitions are compare-and-set, never backwards. */
public enum TaskState {
    /** Planned: the row and its idempotency key are committed, create-async not yet sent. */
    PENDING,
    /** Reserved for the cost guard: waits for an operator. */
    HELD,
    /** create-async was (or is being) sent with the task's key; the answer is not recorded yet. */
    SUBMITTING,
    /** VMEG accepted the task; its taskId is recorded. */
    SUBMITTED,
    /** VMEG reported the task finished; deliverables not yet downloaded. */
    FINISHED,
    /** Deliverables and manifest are in the outbox. */
    DOWNLOADED,
    /** Reserved: downstream endpoints have the result. */
    DELIVERED,
    /** VMEG reported the task failed. */
    FAILED,
    /** VMEG refused create-async with a documented 4xx: nothing was created, nothing charged. */
    REJECTED,
    /**
     * create-async may or may not have created the task (lost or unreadable answer, 409, 5xx), and neither a webhook
     * nor VMEG's task list proved it: waits for an operator ({@code tasks link} or {@code tasks retry}).
     */
    UNCONFIRMED;

    /** Nothing more will happen to it without an operator. */
    public boolean isTerminal() {
        return this == DOWNLOADED || this == DELIVERED || this == FAILED || this == REJECTED || this == UNCONFIRMED;
    }

    public boolean isSuccess() {
        return this == DOWNLOADED || this == DELIVERED;
    }
}
