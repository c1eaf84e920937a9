package io.vmegcamel.ingest;

/**
 * The bundle will not (or can not) process a dropped file. The file goes to the failed folder with an error
 * report holding {@link #reason()}, the message and {@link #whatToDo()}.
 */
public class RejectedFileException extends RuntimeException {

    public enum Reason {
        EMPTY_FILE,
        UNSUPPORTED_FILE_TYPE,
        INVALID_SPEC,
        DUPLICATE,
        VMEG_REJECTED,
        VMEG_UNAVAILABLE,
        TASK_FAILED,
        SUBMISSION_UNCONFIRMED,
        /** Held by the cost guard, and an operator gave up on it ({@code jobs give-up}). */
        COST_CAP,
        INTERNAL_ERROR
    }

    private final Reason reason;
    private final String whatToDo;

    public RejectedFileException(Reason reason, String message, String whatToDo) {
        super(message);
        this.reason = reason;
        this.whatToDo = whatToDo;
    }

    public Reason reason() {
        return reason;
    }

    public String whatToDo() {
        return whatToDo;
    }
}
