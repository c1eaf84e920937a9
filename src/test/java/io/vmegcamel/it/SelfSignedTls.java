package io.vmegcamel.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1 in a PKCS12 store made by the JDK's keytool: the key for a test's https
 * server, and a trust store for the client that should trust it.
 */
public record SelfSignedTls(Path keyStore, String password) {

    public static SelfSignedTls create() {
        try {
            Path dir = Files.createTempDirectory("vmeg-tls");
            Path store = dir.resolve("server.p12");
            String password = "test-password";
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", password)
                    .redirectErrorStream(true).start();
            String out = new String(keytool.getInputStream().readAllBytes());
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            return new SelfSignedTls(store, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The client's side as the README shows it: a properties file of the operator's (passed with -pl) that names
     * this store as the trust store; returns the locations a test hands to Camel Main.
     */
    public String camelSslLocations() {
        try {
            Path file = Files.createTempFile(keyStore.getParent(), "tls", ".properties");
            Files.writeString(file, String.join("\n",
                    "camel.ssl.enabled = true",
                    "camel.ssl.trust-store = file:" + keyStore,
                    "camel.ssl.trust-store-password = " + password));
            return "classpath:application.properties,file:" + file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's side: its key and certificate. */
    public SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
