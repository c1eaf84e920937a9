package io.vmegcamel.storage;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/** Server-side copy of an object larger than CopyObject takes (5 GiB), in ranges; aborted on any failure. */
final class MultipartCopy {

    private MultipartCopy() {
    }

    static void copy(S3Client s3, String bucket, String from, String to, long size, long partSize) {
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(to)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long start = 0; start < size; start += partSize, number++) {
                long end = Math.min(size, start + partSize) - 1;
                int n = number;
                String range = "bytes=" + start + "-" + end;
                UploadPartCopyResponse part = s3.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey(from)
                        .destinationBucket(bucket).destinationKey(to).uploadId(uploadId).partNumber(n)
                        .copySourceRange(range));
                parts.add(CompletedPart.builder().partNumber(n).eTag(part.copyPartResult().eTag()).build());
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(to).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(to).uploadId(uploadId));
            throw e;
        }
    }
}
