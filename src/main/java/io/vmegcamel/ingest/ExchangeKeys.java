package io.vmegcamel.ingest;

/** Names of the exchange properties and headers the ingest flow passes between its steps (and its YAML). */
public final class ExchangeKeys {

    /** Property: the ledger id of the job being ingested. */
    public static final String JOB_ID = "vmegJobId";
    /** Property: the ledger ids of the tasks this drop must submit (a List of String). */
    public static final String TASK_IDS = "vmegTaskIds";
    /** Property: the state of a multipart upload in progress ({@link MaterialUploader.Upload}). */
    public static final String UPLOAD_STATE = "vmegUploadState";
    /** Header: absolute path the file consumer moves the source file to when the exchange ends. */
    public static final String MOVE_TO = "VmegMoveTo";

    private ExchangeKeys() {
    }
}
