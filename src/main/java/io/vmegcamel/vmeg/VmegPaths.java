package io.vmegcamel.vmeg;

/** The VMEG Open API paths the bundle calls (docs/vmeg-contract.md). */
public final class VmegPaths {

    public static final String GEN_UPLOAD_URL = "/openapi/v1/assets/material/upload/gen-upload-url";
    public static final String UPLOAD_COMPLETE = "/openapi/v1/assets/material/upload/complete";
    public static final String MULTIPART_INITIATE = "/openapi/v1/assets/material/upload/multipart/initiate";
    public static final String MULTIPART_PRESIGN = "/openapi/v1/assets/material/upload/multipart/presign-parts";
    public static final String MULTIPART_COMPLETE = "/openapi/v1/assets/material/upload/multipart/complete";
    public static final String MULTIPART_ABORT = "/openapi/v1/assets/material/upload/multipart/abort";
    public static final String MEDIA_TRANSLATION_CREATE = "/openapi/v1/task/media-translation/create-async";
    public static final String TASK_DETAIL = "/openapi/v1/tasks/detail";
    public static final String TASK_LIST = "/openapi/v1/tasks/list";

    private VmegPaths() {
    }
}
