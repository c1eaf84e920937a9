package io.vmegcamel.it;

import io.vmegcamel.storage.S3Store;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API for tests: {@code moto_server} (pip moto, on the CI machine's image) on 127.0.0.1 and a free port,
 * with test credentials given to the AWS SDK's default chain through system properties.
 */
final class MotoS3 implements AutoCloseable {

    final int port;
    final S3Client client;
    private final Process process;

    private MotoS3(int port, Process process) {
        this.port = port;
        this.process = process;
        this.client = S3Store.client("us-east-1", endpoint());
    }

    static MotoS3 start(Path logDir) throws IOException, InterruptedException {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(logDir);
        Process p;
        try {
            p = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(logDir.resolve("moto.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("moto_server is needed for the S3 tests (pip install 'moto[server]'); .ci/run "
                    + "checks it is there: " + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException e) {
                if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                    p.destroyForcibly();
                    throw new IOException("moto_server did not start: " + Files.readString(logDir.resolve("moto.log")));
                }
                Thread.sleep(50); // polling a port that is not open yet: nothing to await on
            }
        }
        return new MotoS3(port, p);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    void bucket(String name) {
        client.createBucket(b -> b.bucket(name));
    }

    void put(String bucket, String key, byte[] bytes) {
        client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    byte[] get(String bucket, String key) {
        return client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    }

    boolean exists(String bucket, String key) {
        try {
            client.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    java.util.List<String> keys(String bucket, String prefix) {
        return client.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).sorted().toList();
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
    }
}
