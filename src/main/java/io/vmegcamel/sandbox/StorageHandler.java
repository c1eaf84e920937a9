package io.vmegcamel.sandbox;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.zip.CRC32C;

/**
 * {@code PUT /storage/<key>}: the sandbox's presigned object storage. Checks like S3 (auth mechanism, signature,
 * expiry, Content-Length), then streams the body to a temp file while updating its ETag chunk by chunk (an object's
 * MD5; a multipart part's {@link PartTags tag}), moves it into place and answers {@code ETag: "<etag>"}. A
 * multipart part of the recommended size is written straight to its place in the upload's assembly file instead
 * ({@link ObjectStore}). Nothing is buffered in memory beyond a few MiB of chunks waiting for the writer
 * ({@link BodyFile}).
 *
 * <p>Like S3, a request with {@code Expect: 100-continue} gets {@code 100 Continue} once its headers pass the
 * checks (a refused one gets only its error, so the client need not send its body). Without that, curl waits a
 * second before it sends the body of every upload ({@code curl -T} asks by default).
 */
final class StorageHandler {

    private static final String PREFIX = "/storage/";
    private static final long MAX_OBJECT = 5L * 1024 * 1024 * 1024; // S3 single PUT limit

    private final Sandbox s;
    private final FaultInjector faults;
    /** One thread writes every body: see {@link BodyFile}. Closed with Vert.x. */
    private final WorkerExecutor writer;

    StorageHandler(Sandbox s, FaultInjector faults) {
        this.s = s;
        this.faults = faults;
        this.writer = s.vertx.createSharedWorkerExecutor("vmeg-sandbox-storage-writer", 1);
    }

    void put(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String key = req.path().substring(PREFIX.length());
        if (req.getHeader("Authorization") != null) {
            reject(ctx, new S3Error(400, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm"
                    + " query parameter, Signature query string parameter or the Authorization header should be"
                    + " specified"));
            return;
        }
        S3Error denied = s.signer.verifyPut(req.path(), req.query());
        if (denied != null) {
            reject(ctx, denied);
            return;
        }
        String uploadId = UrlSigner.param(req.query(), "uploadId");
        int partNumber = 0;
        if (uploadId != null) {
            MaterialStore.Multipart mp = s.materials.multipart(uploadId);
            if (mp == null || mp.state != MaterialStore.State.OPEN || !mp.target.key().equals(key)) {
                reject(ctx, new S3Error(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may"
                        + " be invalid, or the upload may have been aborted or completed."));
                return;
            }
            partNumber = Integer.parseInt(UrlSigner.param(req.query(), "partNumber")); // signed, so well-formed
            SandboxServer.After injected = faults.takePart(partNumber);
            if (injected != null) { // the body is discarded unread, so nothing of it is stored
                req.resume();
                injected.answer(ctx);
                return;
            }
        } else if (s.store.isSealed(key)) {
            reject(ctx, new S3Error(403, "AccessDenied", "The upload of this object was already completed"));
            return;
        }
        String lengthHeader = req.getHeader("Content-Length");
        if (lengthHeader == null || req.getHeader("Transfer-Encoding") != null) {
            reject(ctx, new S3Error(411, "MissingContentLength", "You must provide the Content-Length HTTP header."));
            return;
        }
        long length;
        try {
            length = Long.parseLong(lengthHeader.trim());
        } catch (NumberFormatException e) {
            reject(ctx, new S3Error(400, "InvalidArgument", "Content-Length is not a number"));
            return;
        }
        if (length > MAX_OBJECT) {
            reject(ctx, new S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"));
            return;
        }
        receive(ctx, length, landing(key, uploadId, partNumber, length),
                uploadId == null ? Tagger.md5() : Tagger.part());
    }

    /**
     * Where a PUT body goes: opened before it flows, kept once all of it arrived, else discarded. A part of the
     * upload's slot size goes straight to its place in the upload's assembly file; anything else to a temp file
     * that is moved into place whole.
     */
    private interface Landing {
        Future<BodyFile> open(HttpServerRequest request);

        Future<Void> keep(long size, String etag);

        void discard();
    }

    /** The ETag of a body, taken as its chunks arrive. */
    private interface Tagger {
        void update(ByteBuffer chunk);

        String etag(long size);

        static Tagger md5() {
            MessageDigest md5 = Ids.md5();
            return new Tagger() {
                public void update(ByteBuffer chunk) {
                    md5.update(chunk);
                }

                public String etag(long size) {
                    return Ids.toHex(md5.digest());
                }
            };
        }

        static Tagger part() {
            CRC32C crc = new CRC32C();
            return new Tagger() {
                public void update(ByteBuffer chunk) {
                    crc.update(chunk);
                }

                public String etag(long size) {
                    return PartTags.of(crc, size);
                }
            };
        }
    }

    private Landing landing(String key, String uploadId, int partNumber, long length) {
        if (uploadId != null && s.store.claimAssemblySlot(uploadId, partNumber, length)) {
            return new Landing() {
                public Future<BodyFile> open(HttpServerRequest request) {
                    return BodyFile.open(writer, s.store.assemblyPath(uploadId),
                            ObjectStore.assemblyOffset(partNumber, length),
                            request, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
                }

                public Future<Void> keep(long size, String etag) {
                    return s.vertx.executeBlocking(() -> s.store.keepAssemblyPart(uploadId, partNumber, length, etag),
                            false).mapEmpty();
                }

                public void discard() {
                    s.store.releaseAssemblySlot(uploadId, partNumber);
                }
            };
        }
        Path tmp = s.store.tmpFile();
        Path target = uploadId == null ? s.store.objectPath(key) : s.store.partPath(uploadId, partNumber);
        return new Landing() {
            public Future<BodyFile> open(HttpServerRequest request) {
                return BodyFile.open(writer, tmp, 0, request, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            }

            public Future<Void> keep(long size, String etag) {
                ObjectStore.StoredObject o = new ObjectStore.StoredObject(target, size, etag);
                return s.vertx.fileSystem().mkdirs(target.getParent().toString())
                        .compose(x -> s.vertx.fileSystem().move(tmp.toString(), target.toString(),
                                new CopyOptions().setReplaceExisting(true).setAtomicMove(true)))
                        .compose(x -> {
                            if (uploadId == null) {
                                s.store.putObject(key, o);
                                return Future.succeededFuture();
                            }
                            return s.vertx.executeBlocking(() -> {
                                s.store.keepPartFile(uploadId, partNumber, o);
                                return null;
                            }, false);
                        });
            }

            public void discard() {
                s.vertx.fileSystem().delete(tmp.toString());
            }
        };
    }

    private void receive(RoutingContext ctx, long length, Landing landing, Tagger tagger) {
        HttpServerRequest req = ctx.request();
        req.pause(); // until the file is open
        landing.open(req)
                .onFailure(err -> {
                    landing.discard();
                    reject(ctx, new S3Error(500, "InternalError", "cannot store the object"));
                })
                .onSuccess(file -> stream(ctx, file, length, landing, tagger));
    }

    private void stream(RoutingContext ctx, BodyFile file, long length, Landing landing, Tagger tagger) {
        HttpServerRequest req = ctx.request();
        long[] received = {0};
        req.handler(buf -> {
            tagger.update(buf.getByteBuf().nioBuffer()); // no copy of the chunk
            received[0] += buf.length();
            file.write(buf);
        });
        req.exceptionHandler(err -> file.close().onComplete(c -> landing.discard()));
        req.endHandler(v -> file.close().onComplete(closed -> {
            ctx.put(Journal.BODY_SIZE_KEY, received[0]);
            if (closed.failed()) {
                landing.discard();
                new S3Error(500, "InternalError", "cannot store the object").send(ctx.response());
                return;
            }
            if (received[0] != length) {
                landing.discard();
                new S3Error(400, "IncompleteBody", "You did not provide the number of bytes specified by the"
                        + " Content-Length HTTP header").send(ctx.response());
                return;
            }
            String etag = tagger.etag(received[0]);
            landing.keep(received[0], etag)
                    .onFailure(err -> new S3Error(500, "InternalError", "cannot store the object").send(ctx.response()))
                    .onSuccess(x -> ctx.response().setStatusCode(200).putHeader("ETag", "\"" + etag + "\"").end());
        }));
        if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
            ctx.response().writeContinue();
        }
        req.resume();
    }

    /** Answers at once and lets the rest of the body drain (the request is not paused here, so Vert.x discards it). */
    private static void reject(RoutingContext ctx, S3Error error) {
        ctx.request().resume();
        error.send(ctx.response());
    }
}
