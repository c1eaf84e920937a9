package io.vmegcamel.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link RemoteStore} on an S3 bucket with the AWS SDK client that camel-aws2-s3 is built on (bound in the registry
 * as {@code vmegS3Client}, so Camel's aws2-s3 endpoints share it). Credentials come from the standard AWS chain
 * (environment, profile, role); {@code endpoint} overrides the endpoint for S3-compatible stores and then turns on
 * path-style access. Moves are copy then delete; objects up to 5 GiB (one CopyObject), larger ones by multipart copy.
 */
public final class S3Store implements RemoteStore {

    /** CopyObject's limit; beyond it the copy goes part by part. */
    static final long SINGLE_COPY_MAX = 5L * 1024 * 1024 * 1024;
    private static final long COPY_PART = 1024L * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;

    public S3Store(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** The client for {@code region} (may be empty: the SDK's chain decides) and {@code endpoint} (may be empty). */
    public static S3Client client(String region, String endpoint) {
        S3ClientBuilder b = S3Client.builder();
        if (region != null && !region.isBlank()) {
            b.region(Region.of(region.trim()));
        } else if (endpoint != null && !endpoint.isBlank()) {
            b.region(Region.US_EAST_1); // S3-compatible stores rarely care; the SDK insists on one
        }
        if (endpoint != null && !endpoint.isBlank()) {
            b.endpointOverride(URI.create(endpoint.trim())).forcePathStyle(true);
        }
        return b.build();
    }

    @Override
    public List<RemoteObject> list(String folder) throws IOException {
        List<RemoteObject> out = new ArrayList<>();
        String token = null;
        try {
            do {
                ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket)
                        .prefix(folder).continuationToken(token).build());
                for (S3Object o : page.contents()) {
                    if (!o.key().endsWith("/")) { // "folder" placeholder objects
                        out.add(new RemoteObject(o.key(), o.size(), o.eTag()));
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
            return out;
        } catch (SdkException e) {
            throw failure("cannot list", folder, e);
        }
    }

    @Override
    public Optional<RemoteObject> stat(String key) throws IOException {
        try {
            HeadObjectResponse h = s3.headObject(r -> r.bucket(bucket).key(key));
            return Optional.of(new RemoteObject(key, h.contentLength(), h.eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("cannot read", key, e);
        } catch (SdkException e) {
            throw failure("cannot read", key, e);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("cannot read", key, e);
        }
    }

    @Override
    public void upload(Path file, String key) throws IOException {
        try {
            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file)); // streamed, Content-Length set
        } catch (SdkException e) {
            throw failure("cannot write", key, e);
        }
    }

    @Override
    public void write(byte[] bytes, String key) throws IOException {
        try {
            s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("cannot write", key, e);
        }
    }

    @Override
    public boolean move(String from, String to) throws IOException {
        Optional<RemoteObject> source = stat(from);
        if (source.isEmpty()) {
            return false;
        }
        if (stat(to).isPresent()) {
            throw new IOException(uri(to) + " exists already; " + uri(from) + " was not moved over it");
        }
        try {
            if (source.get().size() <= SINGLE_COPY_MAX) {
                s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket)
                        .destinationKey(to));
            } else {
                MultipartCopy.copy(s3, bucket, from, to, source.get().size(), COPY_PART);
            }
        } catch (SdkException e) {
            throw failure("cannot copy " + uri(from) + " to", to, e);
        }
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(from));
        } catch (SdkException e) {
            throw new PartialMoveException(uri(from) + " was copied to " + uri(to) + " but could not be deleted: "
                    + reason(e), e);
        }
        return true;
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("cannot delete", key, e);
        }
    }

    @Override
    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public boolean objectsAppearWhole() {
        return true;
    }

    @Override
    public void close() {
        // the client is shared (registry bean); whoever built it closes it
    }

    private IOException failure(String what, String key, SdkException e) {
        return new IOException(what + " " + uri(key) + ": " + reason(e), e);
    }

    /** What S3 said (code and message), without request ids or credentials. */
    static String reason(SdkException e) {
        if (e instanceof S3Exception s && s.awsErrorDetails() != null) {
            return s.statusCode() + " " + s.awsErrorDetails().errorCode() + " (" + s.awsErrorDetails().errorMessage()
                    + ")";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
