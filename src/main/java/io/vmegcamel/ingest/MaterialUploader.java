package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.vmeg.IdempotencyKeys;
import io.vmegcamel.vmeg.VmegClient;
import io.vmegcamel.vmeg.VmegException;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the source file as a VMEG material: gen-upload-url (VMEG's MD5 dedup may answer with an existing
 * material), a streamed PUT to the presigned URL and complete; or, above the multipart threshold, initiate,
 * presigned part PUTs and complete. Bytes go from disk to the socket; the file is never loaded into memory.
 * Upload calls cost nothing, so each gets a fresh idempotency key.
 */
public final class MaterialUploader {

    private static final Logger LOG = LoggerFactory.getLogger(MaterialUploader.class);
    private static final int PRESIGN_BATCH = 100;

    /** An upload between its steps (exchange property {@link ExchangeKeys#UPLOAD_STATE}). */
    public record Upload(String uploadUrl, String s3Uri, String materialId, String uploadId, long partSize,
                         List<ObjectNode> parts) {
        /** The presigned URL is a credential: never printed. */
        @Override
        public String toString() {
            return "Upload[uploadUrl=" + (uploadUrl == null ? null : "***") + ", s3Uri=" + s3Uri + ", materialId="
                    + materialId + ", uploadId=" + uploadId + ", partSize=" + partSize + ", parts=" + parts + "]";
        }
    }

    private final Ledger ledger;
    private final VmegClient vmeg;
    private final ObjectMapper json;
    private final long multipartThreshold;

    public MaterialUploader(Ledger ledger, VmegClient vmeg, ObjectMapper json, long multipartThreshold) {
        this.ledger = ledger;
        this.vmeg = vmeg;
        this.json = json;
        this.multipartThreshold = multipartThreshold;
    }

    /** Decides how to upload and takes the first step; sets {@link ExchangeKeys#UPLOAD} to none, single or multipart. */
    public void start(Exchange exchange) {
        Job job = job(exchange);
        if (job.materialId() != null) {
            exchange.setProperty(ExchangeKeys.UPLOAD, "none");
            return;
        }
        if (job.sizeBytes() >= multipartThreshold) {
            JsonNode data = vmeg.post(VmegPaths.MULTIPART_INITIATE, IdempotencyKeys.fresh(), fileRef(job));
            long partSize = Math.max(data.path("recommendedPartSize").asLong(0), 5L * 1024 * 1024);
            exchange.setProperty(ExchangeKeys.UPLOAD_STATE, new Upload(null, data.path("s3Uri").asText(null),
                    data.path("materialId").asText(), data.path("uploadId").asText(), partSize, new ArrayList<>()));
            exchange.setProperty(ExchangeKeys.UPLOAD, "multipart");
            ledger.history().record(job.id(), null, "UPLOAD", "multipart initiate -> upload "
                    + data.path("uploadId").asText() + ", parts of " + partSize + " bytes");
            return;
        }
        JsonNode data = vmeg.post(VmegPaths.GEN_UPLOAD_URL, IdempotencyKeys.fresh(), fileRef(job));
        String uploadUrl = data.path("uploadUrl").asText("");
        if (uploadUrl.isEmpty() && data.path("material").hasNonNull("materialId")) {
            recordMaterial(job, data.path("material").path("materialId").asText(), "already at VMEG (MD5 dedup)");
            exchange.setProperty(ExchangeKeys.UPLOAD, "none");
            return;
        }
        exchange.setProperty(ExchangeKeys.UPLOAD_STATE, new Upload(uploadUrl, data.path("s3Uri").asText(),
                data.path("materialId").asText(), null, 0, List.of()));
        exchange.setProperty(ExchangeKeys.UPLOAD, "single");
    }

    /** Single upload: streams the whole file to the presigned URL. */
    public void putFile(Exchange exchange) {
        Job job = job(exchange);
        vmeg.put(upload(exchange).uploadUrl(), Path.of(job.location()), 0, job.sizeBytes());
    }

    public void completeSingle(Exchange exchange) {
        Job job = job(exchange);
        Upload upload = upload(exchange);
        ObjectNode body = fileRef(job);
        body.put("s3Uri", upload.s3Uri());
        body.put("materialId", upload.materialId());
        JsonNode material = vmeg.post(VmegPaths.UPLOAD_COMPLETE, IdempotencyKeys.fresh(), body);
        recordMaterial(job, material.path("materialId").asText(upload.materialId()), "uploaded");
    }

    /** Multipart upload: presigns parts in batches (fresh URLs for each batch) and streams each part. */
    public void putParts(Exchange exchange) {
        Job job = job(exchange);
        Upload upload = upload(exchange);
        long partSize = upload.partSize();
        int partCount = (int) ((job.sizeBytes() + partSize - 1) / partSize);
        try {
            for (int first = 1; first <= partCount; first += PRESIGN_BATCH) {
                ObjectNode request = multipartRef(job, upload);
                ArrayNode numbers = request.putArray("partNumbers");
                for (int n = first; n < first + PRESIGN_BATCH && n <= partCount; n++) {
                    numbers.add(n);
                }
                JsonNode urls = vmeg.post(VmegPaths.MULTIPART_PRESIGN, IdempotencyKeys.fresh(), request).path("urls");
                for (JsonNode url : urls) {
                    int number = url.path("partNumber").asInt();
                    long offset = (number - 1L) * partSize;
                    long length = Math.min(partSize, job.sizeBytes() - offset);
                    String eTag = vmeg.put(url.path("url").asText(), Path.of(job.location()), offset, length);
                    upload.parts().add(json.createObjectNode().put("partNumber", number).put("eTag", eTag));
                }
            }
        } catch (RuntimeException e) {
            abort(job, upload);
            throw e;
        }
    }

    public void completeMultipart(Exchange exchange) {
        Job job = job(exchange);
        Upload upload = upload(exchange);
        ObjectNode body = multipartRef(job, upload);
        ArrayNode parts = body.putArray("parts");
        upload.parts().stream().sorted((a, b) -> Integer.compare(a.path("partNumber").asInt(), b.path("partNumber").asInt()))
                .forEach(parts::add);
        try {
            JsonNode material = vmeg.post(VmegPaths.MULTIPART_COMPLETE, IdempotencyKeys.fresh(), body);
            recordMaterial(job, material.path("materialId").asText(upload.materialId()),
                    "uploaded in " + upload.parts().size() + " parts");
        } catch (RuntimeException e) {
            abort(job, upload);
            throw e;
        }
    }

    private void abort(Job job, Upload upload) {
        try {
            vmeg.post(VmegPaths.MULTIPART_ABORT, IdempotencyKeys.fresh(), multipartRef(job, upload));
        } catch (VmegException e) {
            LOG.warn("{}: could not abort multipart upload {}: {}", job.fileName(), upload.uploadId(), e.getMessage());
        }
    }

    private void recordMaterial(Job job, String materialId, String how) {
        ledger.jobs().setMaterial(job.id(), materialId);
        ledger.history().record(job.id(), null, "UPLOADED", "material " + materialId + ", " + how);
        LOG.info("{}: material {} ({})", job.fileName(), materialId, how);
    }

    private ObjectNode fileRef(Job job) {
        return json.createObjectNode().put("fileHash", job.contentMd5()).put("fileName", job.fileName());
    }

    private ObjectNode multipartRef(Job job, Upload upload) {
        return json.createObjectNode().put("materialId", upload.materialId()).put("uploadId", upload.uploadId())
                .put("fileHash", job.contentMd5()).put("fileName", job.fileName());
    }

    private Job job(Exchange exchange) {
        return ledger.jobs().require(exchange.getProperty(ExchangeKeys.JOB_ID, String.class));
    }

    private static Upload upload(Exchange exchange) {
        return exchange.getProperty(ExchangeKeys.UPLOAD_STATE, Upload.class);
    }
}
