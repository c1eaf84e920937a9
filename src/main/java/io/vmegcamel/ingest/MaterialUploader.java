package io.vmegcamel.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Multiparts;
import io.vmegcamel.vmeg.FileRange;
import io.vmegcamel.vmeg.VmegException;
import io.vmegcamel.vmeg.VmegPaths;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    /** S3's rule for every part but the last, whatever VMEG recommends. */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part, whatever VMEG recommends (and the most vmeg.upload.min-part-size may ask). */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** presign-parts takes part numbers 1..10000 (S3's limit). */
    static final int MAX_PARTS = 10_000;
    /** A presigned URL is renewed when less than this (or half its lifetime) is left before it expires. */
    static final long URL_MARGIN_SECONDS = 60;
    static final String MISSING = "vmegMissingParts";
    static final String PART_NUMBER = "vmegPartNumber";
    static final String URLS_VALID_UNTIL = "vmegUrlsValidUntil";
    private static final String ROUNDS = "vmegMultipartRounds";
    private static final String RESTART = "vmegMultipartRestart";

    /**
     * A multipart upload between its steps (exchange property {@link ExchangeKeys#UPLOAD_STATE}); its parts are in
     * the ledger. {@code resumed}: taken over from an earlier run rather than initiated by this one.
     */
    public record Upload(String materialId, String uploadId, long partSize, int partCount, boolean resumed) {
    }

    private final Ledger ledger;
    private final ObjectMapper json;
    private final long multipartThreshold;
    private final long minPartSize;
    private final Clock clock;

    public MaterialUploader(Ledger ledger, ObjectMapper json, long multipartThreshold, long minPartSize,
                            Clock clock) {
        this.ledger = ledger;
        this.json = json;
        this.multipartThreshold = multipartThreshold;
        this.minPartSize = minPartSize;
        this.clock = clock;
    }

    /** The job has a material already (an earlier drop of the same bytes, or a resumed job). */
    public boolean hasMaterial(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId) {
        return job(jobId).materialId() != null;
    }

    /** Uploaded in parts (multipart) rather than with one PUT; always when a multipart upload is in progress. */
    public boolean isLarge(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId) {
        return job(jobId).sizeBytes() >= multipartThreshold || ledger.multiparts().find(jobId).isPresent();
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
                multipart != null ? "uploaded in " + multipart.partCount() + " parts" : "uploaded");
    }

    // ------------------------------------------------------------------------------------------------- multipart

    /** A new run of upload-multipart: nothing of an earlier run of this exchange (a redelivery) carries over. */
    public void beginMultipart(Exchange exchange) {
        exchange.removeProperty(ExchangeKeys.UPLOAD_STATE);
        exchange.removeProperty(MISSING);
        exchange.setProperty(ROUNDS, 0);
        exchange.setProperty(RESTART, false);
    }

    /** Whether upload-multipart runs (again): once, and once more only after a resumed upload proved gone. */
    public boolean anotherRound(Exchange exchange) {
        int rounds = exchange.getProperty(ROUNDS, 0, Integer.class);
        boolean restart = exchange.getProperty(RESTART, false, Boolean.class);
        exchange.setProperty(RESTART, false);
        exchange.setProperty(ROUNDS, rounds + 1);
        return rounds == 0 || restart;
    }

    /**
     * The ledger holds a multipart upload in progress for the job (an earlier run was interrupted): it goes on
     * under the same uploadId, with only the parts storage has not accepted yet.
     */
    public boolean resumeMultipart(Exchange exchange) {
        Job job = job(exchange.getProperty(ExchangeKeys.JOB_ID, String.class));
        Optional<Multiparts.Upload> stored = ledger.multiparts().find(job.id());
        if (stored.isEmpty()) {
            return false;
        }
        Multiparts.Upload u = stored.get();
        Upload upload = new Upload(u.materialId(), u.uploadId(), u.partSize(), u.partCount(), true);
        List<Integer> missing = missingParts(job.id(), upload);
        exchange.setProperty(ExchangeKeys.UPLOAD_STATE, upload);
        exchange.setProperty(MISSING, missing);
        ledger.history().record(job.id(), null, "UPLOAD", "multipart resume -> upload " + u.uploadId() + ", "
                + (u.partCount() - missing.size()) + " of " + u.partCount() + " parts stored");
        return true;
    }

    /** multipart/initiate answered: the upload's ids and part size are committed before any part is sent. */
    public void startMultipart(@Body JsonNode data, Exchange exchange) {
        Job job = job(exchange.getProperty(ExchangeKeys.JOB_ID, String.class));
        long partSize = partSize(data.path("recommendedPartSize").asLong(0), minPartSize, job.sizeBytes());
        int partCount = (int) Math.max(1, (job.sizeBytes() + partSize - 1) / partSize);
        Upload upload = new Upload(data.path("materialId").asText(), data.path("uploadId").asText(), partSize,
                partCount, false);
        if (upload.materialId().isEmpty() || upload.uploadId().isEmpty()) {
            throw new VmegException("POST " + VmegPaths.MULTIPART_INITIATE, 200, 200,
                    "answer has no materialId or uploadId", null, null);
        }
        ledger.jdbc().inTransaction(() -> {
            ledger.multiparts().start(new Multiparts.Upload(job.id(), upload.materialId(), upload.uploadId(),
                    partSize, partCount));
            ledger.history().record(job.id(), null, "UPLOAD", "multipart initiate -> upload " + upload.uploadId()
                    + ", " + partCount + " parts of " + partSize + " bytes");
            return null;
        });
        exchange.setProperty(ExchangeKeys.UPLOAD_STATE, upload);
        exchange.setProperty(MISSING, missingParts(job.id(), upload));
    }

    /**
     * VMEG's recommended part size (a suggestion, by its docs: VMEG learns no file size, and S3 takes any part from
     * 5 MiB), but at least {@code floor} (vmeg.upload.min-part-size: fewer parts cost less per byte) and S3's 5 MiB,
     * and large enough that the file fits in 10,000 parts: 8 MiB parts would stop at 78 GiB. Never more than S3's
     * 5 GiB, however large a size VMEG recommends.
     */
    static long partSize(long recommended, long floor, long fileSize) {
        long size = Math.max(Math.max(recommended, floor), MIN_PART_SIZE);
        return Math.min(Math.max(size, (fileSize + MAX_PARTS - 1) / MAX_PARTS), MAX_PART_SIZE);
    }

    /** How many presign-parts calls the missing parts need. */
    public int presignBatches(@ExchangeProperty(MISSING) List<Integer> missing) {
        return (missing.size() + PRESIGN_BATCH - 1) / PRESIGN_BATCH;
    }

    /** presign-parts for batch {@code index} (0-based) of the missing parts: fresh URLs for up to 100 parts. */
    public ObjectNode presignRequest(@ExchangeProperty(Exchange.LOOP_INDEX) int index,
                                     @ExchangeProperty(MISSING) List<Integer> missing,
                                     @ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                                     @ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        ObjectNode request = multipartRef(jobId, upload);
        ArrayNode numbers = request.putArray("partNumbers");
        missing.subList(index * PRESIGN_BATCH, Math.min(missing.size(), (index + 1) * PRESIGN_BATCH))
                .forEach(numbers::add);
        return request;
    }

    /** presign-parts for the one part {@code vmegPartNumber}, whose URL from its batch has (nearly) expired. */
    public ObjectNode presignPartRequest(@ExchangeProperty(PART_NUMBER) int partNumber,
                                         @ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                                         @ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        ObjectNode request = multipartRef(jobId, upload);
        request.putArray("partNumbers").add(partNumber);
        return request;
    }

    /**
     * presign-parts answered: notes until when its URLs may still be started, because parts queued behind slow
     * ones may be sent much later than they were presigned: VMEG's expiresInSeconds less a margin (a minute, or
     * half of a short lifetime) and a second more (a signature's date counts whole seconds, so a URL may expire up
     * to a second before now + expiresInSeconds).
     */
    public void presigned(@Body JsonNode data, Exchange exchange) {
        long ttl = data.path("expiresInSeconds").asLong(0);
        exchange.setProperty(URLS_VALID_UNTIL, ttl <= 0 ? null
                : clock.instant().plusSeconds(ttl - Math.min(URL_MARGIN_SECONDS, (ttl + 1) / 2) - 1));
    }

    /** The part's presigned URL is about to expire: it is presigned again just before its PUT. */
    public boolean urlExpiring(@ExchangeProperty(URLS_VALID_UNTIL) Instant validUntil) {
        return validUntil != null && !clock.instant().isBefore(validUntil);
    }

    /** Part {@code partNumber} (1-based) of the file: its exact byte range. */
    public FileRange part(@ExchangeProperty(PART_NUMBER) int partNumber,
                          @ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                          @ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        Job job = job(jobId);
        long offset = (partNumber - 1L) * upload.partSize();
        long length = Math.min(upload.partSize(), job.sizeBytes() - offset);
        return new FileRange(Path.of(job.location()), offset, length);
    }

    /** Storage accepted the part: its number and ETag are committed at once, so no restart sends it again. */
    public void recordPart(@ExchangeProperty(PART_NUMBER) int partNumber,
                           @ExchangeProperty("vmegETag") String eTag,
                           @ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                           @ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        if (eTag == null || eTag.isBlank()) {
            throw new VmegException("PUT part " + partNumber, 200, 200, "storage answered without an ETag", null,
                    null);
        }
        long length = Math.min(upload.partSize(), job(jobId).sizeBytes() - (partNumber - 1L) * upload.partSize());
        if (!ledger.multiparts().recordPart(jobId, upload.uploadId(), new Multiparts.Part(partNumber, eTag, length))) {
            throw new IllegalStateException("multipart upload " + upload.uploadId() + " is no longer the job's");
        }
    }

    /** The body of multipart/complete: every part's number and ETag from the ledger, in order. */
    public ObjectNode completeMultipartRequest(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                                               @ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        List<Multiparts.Part> stored = ledger.multiparts().parts(jobId);
        if (stored.size() != upload.partCount()) {
            throw new IllegalStateException("multipart upload " + upload.uploadId() + ": " + stored.size() + " of "
                    + upload.partCount() + " parts stored, cannot complete");
        }
        ObjectNode body = multipartRef(jobId, upload);
        ArrayNode parts = body.putArray("parts");
        stored.forEach(p -> parts.addObject().put("partNumber", p.partNumber()).put("eTag", p.eTag()));
        return body;
    }

    /**
     * VMEG no longer knows the upload this run resumed from the ledger (404 from presign-parts, a part PUT or
     * complete: it expired, or was aborted or completed meanwhile). Then a new upload is started, once.
     */
    public boolean resumedUploadGone(Exchange exchange) {
        Upload upload = exchange.getProperty(ExchangeKeys.UPLOAD_STATE, Upload.class);
        VmegException vmeg = VmegException.in(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        return upload != null && upload.resumed() && vmeg != null && vmeg.httpStatus() == 404;
    }

    /** Forgets the gone upload and its parts; the next round initiates a new one. */
    public void restartMultipart(Exchange exchange) {
        String jobId = exchange.getProperty(ExchangeKeys.JOB_ID, String.class);
        Upload upload = exchange.getProperty(ExchangeKeys.UPLOAD_STATE, Upload.class);
        Throwable why = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ledger.jdbc().inTransaction(() -> {
            ledger.multiparts().forget(jobId);
            ledger.history().record(jobId, null, "UPLOAD", "multipart upload " + upload.uploadId()
                    + " unknown to VMEG (" + (why == null ? "404" : why.getMessage()) + "): starting a new one");
            return null;
        });
        LOG.warn("{}: multipart upload {} is unknown to VMEG; starting a new one", job(jobId).fileName(),
                upload.uploadId());
        exchange.setProperty(RESTART, true);
    }

    /**
     * VMEG or storage refused a step for good (a 4xx other than 401/402 pauses, 408, 409 and 429): the upload is
     * aborted. No answer, a timeout or a 5xx keeps it, and so does a crash: the retry, or the next start, resumes.
     */
    public boolean refusedForGood(Exchange exchange) {
        VmegException vmeg = VmegException.in(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        return vmeg != null && vmeg.isDefinitive() && vmeg.httpStatus() != 401 && vmeg.httpStatus() != 402;
    }

    /** After an abort (answered or not): the ledger forgets the upload, a new drop starts afresh. */
    public void forgetMultipart(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId) {
        ledger.multiparts().forget(jobId);
    }

    /** {@code {materialId, uploadId, fileHash, fileName}}: names the multipart upload (presign, complete, abort). */
    public ObjectNode multipartRef(@ExchangeProperty(ExchangeKeys.JOB_ID) String jobId,
                                   @ExchangeProperty(ExchangeKeys.UPLOAD_STATE) Upload upload) {
        return json.createObjectNode().put("materialId", upload.materialId()).put("uploadId", upload.uploadId())
                .setAll(fileRef(jobId));
    }

    private List<Integer> missingParts(String jobId, Upload upload) {
        Set<Integer> stored = new HashSet<>();
        ledger.multiparts().parts(jobId).forEach(p -> stored.add(p.partNumber()));
        List<Integer> missing = new ArrayList<>();
        for (int n = 1; n <= upload.partCount(); n++) {
            if (!stored.contains(n)) {
                missing.add(n);
            }
        }
        return missing;
    }

    /** Records the material and its duration (VMEG's Material object, {@code duration} in milliseconds). */
    private void recordMaterial(Job job, String materialId, JsonNode material, String how) {
        JsonNode duration = material.path("duration");
        ledger.jdbc().inTransaction(() -> {
            ledger.jobs().setMaterial(job.id(), materialId);
            ledger.multiparts().forget(job.id()); // a multipart upload's parts are VMEG's material now
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
