package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.vmeg.FileRange;
import io.vmegcamel.vmeg.VmegException;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a material upload that YAML cannot say ({@code routes/upload.camel.yaml} makes the calls): request
 * bodies from the ledger, the byte ranges of the file as PUT bodies, and recording VMEG's answers in the ledger.
 */
public final class MaterialUploader {

    private static final Logger LOG = LoggerFactory.getLogger(MaterialUploader.class);
    /** presign-parts takes at most this many part numbers per call. */
    static final int PRESIGN_BATCH = 100;

    /** A multipart upload between its steps (exchange property {@link ExchangeKeys#UPLOAD_STATE}). */
    public record Upload(String materialId, String uploadId, long partSize, int partCount, List<ObjectNode> parts) {
    }

    private final Ledger ledger;
    private final ObjectMapper json;
    private final long multipartThreshold;

    public MaterialUploader(Ledger ledger, ObjectMapper json, long multipartThreshold) {
        this.ledger = ledger;
        this.json = json;
        this.multipartThreshold = multipartThreshold;
    }

    /** The job has a material already (an earlier drop of the same bytes, or a resumed job). */
    public boolean hasMaterial(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId) {
        return job(jobId).materialId() != null;
    }

    /** Uploaded in parts (multipart) rather than with one PUT. */
    public boolean isLarge(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId) {
        return job(jobId).sizeBytes() >= multipartThreshold;
    }

    /** {@code {fileHash, fileName}}: the body of gen-upload-url and multipart initiate. */
    public ObjectNode fileRef(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId) {
        Job job = job(jobId);
        return json.createObjectNode().put("fileHash", job.contentMd5()).put("fileName", job.fileName());
    }

    /** gen-upload-url answered without an upload URL: VMEG's MD5 dedup already holds these bytes. */
    public void recordDedup(@Body JsonNode answer, @ExchangeProperty(ExchangeKeys.JOB_ID) String jobId) {
        String materialId = answer.path("material").path("materialId").asText("");
        if (materialId.isEmpty()) {
            throw new VmegException("POST " + VmegPaths.GEN_UPLOAD_URL, 200, 200,
                    "answer has neither uploadUrl nor material.materialId", null, null);
        }
        recordMaterial(job(jobId), materialId, answer.path("material"), "already at VMEG (MD5 dedup)");
    }

    /** The whole file as the body of the single PUT. */
    public FileRange wholeFile(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId) {
        Job job = job(jobId);
        return new FileRange(Path.of(job.location()), 0, job.sizeBytes());
    }

    /** The body of upload/complete: the file plus what gen-upload-url answered. */
    public ObjectNode completeRequest(@ExchangeProperty("vmegGenUpload") JsonNode gen,
                                      @ExchangeProperty(ExchangeKeys.JOB_ID) String jobId) {
        return fileRef(jobId).put("s3Uri", gen.path("s3Uri").asText()).put("materialId", gen.path("materialId").asText());
    }

    /** complete (single or multipart) answered: the material is VMEG's now. */
    public void recordUploaded(@Body JsonNode material, Exchange exchange) {
        Job job = job(exchange.getProperty(ExchangeKeys.JOB_ID, String.class));
        Upload multipart = exchange.getProperty(ExchangeKeys.UPLOAD_STATE, Upload.class);
        JsonNode gen = exchange.getProperty("vmegGenUpload", JsonNode.class);
        String fallback = multipart != null ? multipart.materialId() : gen.path("materialId").asText();
        recordMaterial(job, material.path("materialId").asText(fallback), material,
                multipart != null ? "uploaded in " + multipart.parts().size() + " parts" : "uploaded");
    }

    /** multipart/initiate answered: keeps the upload's ids and part size for the next steps. */
    public void startMultipart(@Body JsonNode data, Exchange exchange) {
        Job job = job(exchange.getProperty(ExchangeKeys.JOB_ID, String.class));
        long partSize = Math.max(data.path("recommendedPartSize").asLong(0), 5L * 1024 * 1024);
        int partCount = (int) ((job.sizeBytes() + partSize - 1) / partSize);
        Upload upload = new Upload(data.path("materialId").asText(), data.path("uploadId").asText(), partSize,
                partCount, new ArrayList<>());
        exchange.setProperty(ExchangeKeys.UPLOAD_STATE, upload);
        ledger.history().record(job.id(), null, "UPLOAD", "multipart initiate -> upload " + upload.uploadId()
                + ", " + partCount + " parts of " + partSize + " bytes");
    }

    /** How many presign-parts calls the upload needs. */
    public int presignBatches(@ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        return (upload.partCount() + PRESIGN_BATCH - 1) / PRESIGN_BATCH;
    }

    /** presign-parts for batch {@code index} (0-based): fresh URLs for up to 100 parts. */
    public ObjectNode presignRequest(@ExchangeProperty(Exchange.LOOP_INDEX) int index,
                                     @ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                                     @ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        ObjectNode request = multipartRef(jobId, upload);
        ArrayNode numbers = request.putArray("partNumbers");
        int first = index * PRESIGN_BATCH + 1;
        for (int n = first; n < first + PRESIGN_BATCH && n <= upload.partCount(); n++) {
            numbers.add(n);
        }
        return request;
    }

    /** Part {@code partNumber} (1-based) of the file: its exact byte range. */
    public FileRange part(@ExchangeProperty("vmegPartNumber") int partNumber,
                          @ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                          @ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        Job job = job(jobId);
        long offset = (partNumber - 1L) * upload.partSize();
        long length = Math.min(upload.partSize(), job.sizeBytes() - offset);
        return new FileRange(Path.of(job.location()), offset, length);
    }

    public void recordPart(@ExchangeProperty("vmegPartNumber") int partNumber,
                           @ExchangeProperty("vmegETag") String eTag,
                           @ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        synchronized (upload.parts()) {
            upload.parts().add(json.createObjectNode().put("partNumber", partNumber).put("eTag", eTag));
        }
    }

    /** The body of multipart/complete: every part's number and ETag, in order. */
    public ObjectNode completeMultipartRequest(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                                               @ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        ObjectNode body = multipartRef(jobId, upload);
        ArrayNode parts = body.putArray("parts");
        upload.parts().stream().sorted((a, b) -> Integer.compare(a.path("partNumber").asInt(),
                b.path("partNumber").asInt())).forEach(parts::add);
        return body;
    }

    /** {@code {materialId, uploadId, fileHash, fileName}}: names the multipart upload (presign, complete, abort). */
    public ObjectNode multipartRef(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                                   @ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        return json.createObjectNode().put("materialId", upload.materialId()).put("uploadId", upload.uploadId())
                .setAll(fileRef(jobId));
    }

    /** Records the material and its duration (VMEG's Material object, {@code duration} in milliseconds). */
    private void recordMaterial(Job job, String materialId, JsonNode material, String how) {
        JsonNode duration = material.path("duration");
        ledger.jdbc().inTransaction(() -> {
            ledger.jobs().setMaterial(job.id(), materialId);
            if (duration.canConvertToLong() && duration.asLong() >= 0) {
                ledger.jobs().setDuration(job.id(), duration.asLong()); // what the cost guard estimates from
            }
            ledger.history().record(job.id(), null, "UPLOADED", "material " + materialId + ", " + how
                    + (duration.isNumber() ? ", duration " + duration.asLong() + " ms" : ", duration not reported"));
            return null;
        });
        LOG.info("{}: material {} ({})", job.fileName(), materialId, how);
    }

    private Job job(String jobId) {
        return ledger.jobs().require(jobId);
    }
}
