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
        /** A remote inbox object that could not be read (e.g. permission denied). */
        SOURCE_UNREADABLE,
        /** A remote inbox object that disappeared while it was being taken. */
        SOURCE_VANISHED,
        /** A remote inbox object that could not be moved out of the inbox (e.g. permission denied). */
        SOURCE_NOT_MOVED,
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
