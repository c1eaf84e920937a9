package io.vmegcamel.storage;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * How the bundle logs in to an SFTP server and checks that it is the right server.
 *
 * @param privateKeyFile        OpenSSH/PEM private key (RSA or ECDSA), or null for password only
 * @param privateKeyPassphrase  the key's passphrase, or null
 * @param password              the login password, or null for key only
 * @param knownHostsFile        the known_hosts file the server's key must be in ({@code ~/.ssh/known_hosts} when null)
 * @param strictHostKeyChecking true (the default): a server whose key is not in the known_hosts file is refused;
 *                              false: as OpenSSH's {@code StrictHostKeyChecking=no}, an unknown server's key is
 *                              trusted and added to the known_hosts file (a key that differs is still refused)
 */
public record SftpAuth(Path privateKeyFile, String privateKeyPassphrase, String password, Path knownHostsFile,
        boolean strictHostKeyChecking) {

    public static final String PRIVATE_KEY_FILE = "vmeg.sftp.private-key-file";
    public static final String PRIVATE_KEY_PASSPHRASE = "vmeg.sftp.private-key-passphrase";
    public static final String PASSWORD = "vmeg.sftp.password";
    public static final String KNOWN_HOSTS_FILE = "vmeg.sftp.known-hosts-file";
    public static final String STRICT_HOST_KEY_CHECKING = "vmeg.sftp.strict-host-key-checking";

    public SftpAuth {
        privateKeyPassphrase = blankToNull(privateKeyPassphrase);
        password = blankToNull(password);
        if (privateKeyFile == null && password == null) {
            throw new IllegalArgumentException("SFTP needs a login: set " + PRIVATE_KEY_FILE
                    + " (VMEG_SFTP_PRIVATE_KEY_FILE) or " + PASSWORD + " (VMEG_SFTP_PASSWORD)");
        }
    }

    /**
     * From the {@code vmeg.sftp.*} settings; {@code setting} gives a key's value or null (the caller resolves
     * environment variables and properties files).
     */
    public static SftpAuth from(Function<String, String> setting) {
        String strict = blankToNull(setting.apply(STRICT_HOST_KEY_CHECKING));
        if (strict != null && !strict.trim().equalsIgnoreCase("true") && !strict.trim().equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(STRICT_HOST_KEY_CHECKING + " = " + strict + ": give true or false");
        }
        return new SftpAuth(path(setting.apply(PRIVATE_KEY_FILE)), setting.apply(PRIVATE_KEY_PASSPHRASE),
                setting.apply(PASSWORD), path(setting.apply(KNOWN_HOSTS_FILE)),
                strict == null || strict.trim().equalsIgnoreCase("true"));
    }

    /** The known_hosts file in use: the configured one, else OpenSSH's default. */
    public Path knownHosts() {
        return knownHostsFile != null ? knownHostsFile
                : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    public SftpAuth withStrictHostKeyChecking(boolean strict) {
        return new SftpAuth(privateKeyFile, privateKeyPassphrase, password, knownHostsFile, strict);
    }

    /** Never prints the password or the passphrase. */
    @Override
    public String toString() {
        return "SftpAuth[privateKeyFile=" + privateKeyFile + ", privateKeyPassphrase=" + mask(privateKeyPassphrase)
                + ", password=" + mask(password) + ", knownHostsFile=" + knownHostsFile
                + ", strictHostKeyChecking=" + strictHostKeyChecking + "]";
    }

    private static String mask(String secret) {
        return secret == null ? "null" : "***";
    }

    private static Path path(String value) {
        String v = blankToNull(value);
        return v == null ? null : Path.of(v.trim());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
